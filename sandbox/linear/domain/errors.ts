/**
 * Expected failures of a Linear operation. GraphQL renders them as `errors[].extensions`
 * (graphql/errors.ts, API-NOTES §2.5); the page shows the message. Codes are Linear's.
 */
export type LinearErrorCode = 'INPUT_ERROR' | 'FORBIDDEN';

export class LinearApiError extends Error {
  constructor(
    readonly code: LinearErrorCode,
    message: string,
    readonly userPresentableMessage?: string,
  ) {
    super(message);
    this.name = 'LinearApiError';
  }
}

/** Linear's answer for an unknown or inaccessible id: `INPUT_ERROR "Entity not found: Issue"` (API-NOTES §2.5). */
export function entityNotFound(entity: string): LinearApiError {
  return new LinearApiError('INPUT_ERROR', `Entity not found: ${entity}`, `Could not find referenced ${entity}.`);
}

export function invalidInput(message: string): LinearApiError {
  return new LinearApiError('INPUT_ERROR', `Argument Validation Error: ${message}`, message);
}
