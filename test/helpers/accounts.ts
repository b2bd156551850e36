import { createOrganisationWithAdmin, type NewOrganisation } from '../../src/accounts/organisations.js';
import type { Organisation } from '../../src/accounts/organisations-repository.js';
import type { User } from '../../src/accounts/users-repository.js';
import type { TestHub } from './hub.js';

/**
 * Creates another organisation with its admin directly through the accounts service (the
 * API only creates the first one, via setup). Log in as the admin with helpers/client.ts.
 */
export async function createOrganisation(
  hub: TestHub,
  input: NewOrganisation,
): Promise<{ organisation: Organisation; user: User }> {
  const result = await createOrganisationWithAdmin(hub.database, input, {
    now: hub.hub.deps.clock.now(),
    onlyIfNoUsers: false,
  });
  if (!result.ok) throw new Error(`could not create organisation ${input.organisationName}: ${result.code}`);
  return result.value;
}
