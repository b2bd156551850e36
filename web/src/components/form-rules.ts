import type { ApiRequestError } from '../api/client.js';

// Values from the contract's zod-free module only (everything else from src/api is a type): the bundle stays without zod.
import { forbiddenNameCharacter, MIN_PASSWORD_LENGTH } from '../../../src/api/field-rules.js';

/**
 * Checks the browser makes before asking the hub (which checks again), and the one way a
 * form turns the hub's error into field messages plus a summary.
 */
export const MIN_PASSWORD = MIN_PASSWORD_LENGTH;

export function emailProblem(email: string): string | undefined {
  return /^[^\s@]+@[^\s@]+$/.test(email.trim()) ? undefined : 'Enter an email address like name@example.com.';
}

export function passwordProblem(password: string): string | undefined {
  return password.length < MIN_PASSWORD ? `Use at least ${MIN_PASSWORD} characters.` : undefined;
}

/**
 * A person's or an organisation's name: `whenEmpty` if blank, and the hub's character rule
 * (src/core/name-characters.ts: no control or invisible formatting characters inside).
 */
export function nameProblem(name: string, whenEmpty: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return whenEmpty;
  const found = forbiddenNameCharacter(trimmed);
  return found === undefined
    ? undefined
    : `Remove the invisible or control character ${found}: names cannot hold line breaks, tabs, zero-width spaces or direction overrides.`;
}

/** Drops the undefined entries of a problems map, so "no key" means "no problem". */
export function problems(entries: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * The hub's answer as field errors (details[].path) and a summary for the alert: "Check the
 * highlighted fields." when any field is named, else the hub's own message. `extraFields`
 * places whole-request errors on a field (e.g. email_taken on the email field).
 */
export function explainApiError(
  caught: ApiRequestError,
  extraFields: Record<string, string> = {},
): { fields: Record<string, string>; summary: string } {
  const fields = { ...extraFields, ...caught.fieldErrors() };
  return { fields, summary: Object.keys(fields).length > 0 ? 'Check the highlighted fields.' : caught.message };
}
