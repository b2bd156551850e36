import { fail, type Failure } from '../core/result.js';

/**
 * The expected failures of a change to one user, worded for the admin who asked. A user of
 * another organisation is `not_found` exactly like an id that does not exist: existence is
 * not revealed.
 */
export type UserChangeFailure = Failure<'not_found' | 'last_admin'>;

export const noSuchUser = (): Failure<'not_found'> => fail('not_found', 'No such user.');

/** `action` completes "make someone else an admin before you …" ("deactivate them"). */
export const lastAdmin = (action: string): Failure<'last_admin'> =>
  fail('last_admin', `This is the last active admin of the organisation: make someone else an admin before you ${action}.`);
