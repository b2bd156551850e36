/**
 * The field rules the web app checks before sending (the hub checks them again in
 * src/api/fields.ts). Free of zod on purpose: the web app imports these as values, and
 * everything else it takes from src/api as types only, so its bundle does not carry zod.
 */

export { forbiddenNameCharacter, nameCharacterProblem } from '../core/name-characters.js';

/**
 * Shortest password the hub accepts when one is set. Besides length, a new password must not
 * be common, predictable or mostly the person's e-mail, name or organisation name: 400
 * `weak_password`, details [{path, message}] (src/accounts/password-policy.ts).
 */
export const MIN_PASSWORD_LENGTH = 12;

/** Longest password accepted anywhere; bounds the scrypt work one request can ask for. */
export const MAX_PASSWORD_LENGTH = 1024;
