import type { Failure } from '../core/result.js';
import { HttpError } from './errors.js';

/**
 * The one place a domain outcome becomes an HTTP status (docs/architecture.md § Errors). A
 * route that got a Failure from domain code passes the statuses of the codes it can get; the
 * Failure's code and message become the answer's error code and message.
 *
 * ```ts
 * const result = await changeUser(...);
 * if (!result.ok) throw httpFailure(result, { not_found: 404, last_admin: 409 });
 * ```
 * The mapping is total over the Failure's codes (checked by the compiler).
 */
export function httpFailure<Code extends string>(
  failure: Failure<Code>,
  statuses: Record<Code, number>,
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError(statuses[failure.code], failure.code, failure.message, failure.details, headers);
}
