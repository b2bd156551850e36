/**
 * The one error shape of the HTTP API:
 *   {"error": {"code": "machine_readable", "message": "For people.", "details": …}}
 * Only the HTTP layer throws HttpError: a route turns a domain Failure into one with
 * httpFailure (failures.ts), provider and connection errors are mapped in
 * provider-error-mapping.ts; domain code never knows status codes (architecture.md § Errors).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export const notFound = (what = 'Not found') => new HttpError(404, 'not_found', what);
export const forbidden = (message = 'You do not have permission to do that.') =>
  new HttpError(403, 'forbidden', message);
export const unauthenticated = (message = 'Log in to continue.') => new HttpError(401, 'unauthenticated', message);
export const conflict = (code: string, message: string, details?: unknown) => new HttpError(409, code, message, details);
