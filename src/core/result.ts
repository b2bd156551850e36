/**
 * The hub's one way to return an expected outcome that is not success (docs/architecture.md §
 * Errors): a value the caller must look at. Programmer errors and infrastructure failures
 * (a bug, a lost database) are thrown instead.
 *
 * A failure carries a machine-readable `code` (snake_case, stable: routes map it to an HTTP
 * status in one place and send it as the error code), a human `message`, and optional
 * `details` for the caller. Domain code never knows HTTP status codes.
 *
 * ```ts
 * async function deactivate(...): Promise<Result<User, 'not_found' | 'last_admin'>> {
 *   if (user === undefined) return fail('not_found', 'No such user.');
 *   return ok(user);
 * }
 * const result = await deactivate(...);
 * if (!result.ok) throw httpFailure(result, { not_found: 404, last_admin: 409 }); // in the route
 * ```
 */
export type Result<T, Code extends string = string, Details = unknown> = Ok<T> | Failure<Code, Details>;

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Failure<Code extends string = string, Details = unknown> {
  readonly ok: false;
  readonly code: Code;
  readonly message: string;
  readonly details?: Details;
}

export function ok<T>(value: T): Ok<T>;
export function ok(): Ok<undefined>;
export function ok<T>(value?: T): Ok<T | undefined> {
  return { ok: true, value };
}

export function fail<Code extends string, Details = unknown>(code: Code, message: string, details?: Details): Failure<Code, Details> {
  return details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
}
