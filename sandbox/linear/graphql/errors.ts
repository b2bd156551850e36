import type { GraphQLError } from 'graphql';
import { LinearApiError } from '../domain/errors.js';

/**
 * Linear's error shape (API-NOTES §2.5): `errors[].extensions` with a lower-case `type` (which
 * the SDK classifies on), an upper-case `code`, `userError` and `userPresentableMessage`;
 * RATELIMITED also carries `statusCode: 429`.
 */
export type WireErrorCode =
  | 'AUTHENTICATION_ERROR'
  | 'FORBIDDEN'
  | 'INPUT_ERROR'
  | 'RATELIMITED'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'INTERNAL_SERVER_ERROR';

const TYPE_OF: Record<WireErrorCode, string> = {
  AUTHENTICATION_ERROR: 'authentication error',
  FORBIDDEN: 'forbidden',
  INPUT_ERROR: 'invalid input',
  RATELIMITED: 'ratelimited',
  GRAPHQL_PARSE_FAILED: 'graphql error',
  GRAPHQL_VALIDATION_FAILED: 'graphql error',
  INTERNAL_SERVER_ERROR: 'internal error',
};

export interface WireError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions: { type: string; code: WireErrorCode; userError: boolean; userPresentableMessage?: string; statusCode?: number };
}

export function wireError(code: WireErrorCode, message: string, userPresentableMessage?: string): WireError {
  const extensions: WireError['extensions'] = { type: TYPE_OF[code], code, userError: code === 'INPUT_ERROR' };
  if (userPresentableMessage !== undefined) extensions.userPresentableMessage = userPresentableMessage;
  if (code === 'RATELIMITED') extensions.statusCode = 429;
  if (code === 'FORBIDDEN') extensions.statusCode = 403;
  return { message, extensions };
}

/** `{"errors":[…]}` for failures before execution (HTTP 400 in Linear, API-NOTES §2.5). */
export function errorBody(error: WireError): { errors: WireError[] } {
  return { errors: [error] };
}

/** Maps an execution error (thrown by a resolver) to the wire shape; unexpected ones become internal errors. */
export function formatExecutionError(error: GraphQLError): WireError {
  const original = error.originalError;
  const wire =
    original instanceof LinearApiError
      ? wireError(original.code, original.message, original.userPresentableMessage)
      : original
        ? wireError('INTERNAL_SERVER_ERROR', 'Internal server error', 'An unexpected error occurred.')
        : wireError('GRAPHQL_VALIDATION_FAILED', error.message);
  if (error.path) wire.path = [...error.path];
  if (error.locations) wire.locations = error.locations.map(({ line, column }) => ({ line, column }));
  return wire;
}

/** For parse and validation errors (no execution happened). */
export function requestError(code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED', error: GraphQLError): WireError {
  const wire = wireError(code, error.message);
  if (error.locations) wire.locations = error.locations.map(({ line, column }) => ({ line, column }));
  return wire;
}
