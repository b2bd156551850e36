import { passwordWeakness, WEAKNESS_MESSAGES, type PasswordContext } from '../accounts/password-policy.js';
import { HttpError } from './errors.js';

/**
 * Refuses a new password that is too easy to guess (accounts/password-policy.ts): 400
 * `weak_password`, details [{path: field, message}] like invalid_body, so forms show it under
 * the field. Never echoes the password.
 */
export function refuseWeakPassword(password: string, context: PasswordContext, field: string): void {
  const weakness = passwordWeakness(password, context);
  if (weakness === undefined) return;
  const message = WEAKNESS_MESSAGES[weakness];
  throw new HttpError(400, 'weak_password', `This password ${message}.`, [{ path: field, message }]);
}
