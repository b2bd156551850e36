import { z } from 'zod';
import { conflict, notFound } from '../../../../errors.js';

/**
 * What every /api/users/:id endpoint answers alike: 404 for a user of another organisation
 * (the same as for an id that does not exist: existence is not revealed), 409 `last_admin`
 * when a change would leave the organisation without an active admin.
 */
export const noSuchUser = () => notFound('No such user.');

export const lastAdmin = (what: string) =>
  conflict('last_admin', `This is the last active admin of the organisation: make someone else an admin before you ${what}.`);

/** The body of an action that takes none: nothing, or an empty object. */
export const noBody = z.strictObject({});
