import { fail, ok, type Result } from '../core/result.js';

/** Reading vendor JSON payloads without trusting their shape. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A non-empty string, or undefined. */
export const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The body as a JSON object, or the intake's 400 invalid_delivery. */
export function jsonObject(body: string): Result<Json, 'invalid_delivery'> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return fail('invalid_delivery', 'The body is not JSON.');
  }
  return isObject(parsed) ? ok(parsed) : fail('invalid_delivery', 'The body is not a JSON object.');
}
