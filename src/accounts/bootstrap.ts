import type { Config } from '../config/index.js';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { normaliseEmail } from './email.js';
import { createOrganisationWithAdmin } from './organisations.js';
import { passwordWeakness } from './password-policy.js';
import { anyUserExists } from './users-repository.js';

/**
 * HUB_ADMIN_EMAIL / HUB_ADMIN_PASSWORD: creates the organisation and its first admin at
 * start-up when the installation has no user yet; otherwise does nothing. Safe on every
 * restart and across several processes starting at once. The password is never logged.
 * A password the setup form would refuse as too easy to guess (accounts/password-policy.ts)
 * does not stop the start: the admin is created but must change it at first log-in.
 */
export async function ensureBootstrapAdmin(
  database: HubDatabase,
  bootstrap: Config['bootstrapAdmin'],
  { logger, now }: { logger: Logger; now: number },
): Promise<void> {
  if (bootstrap === undefined) return;
  const email = normaliseEmail(bootstrap.email);
  if (await anyUserExists(database.db)) {
    logger.debug('HUB_ADMIN_EMAIL is set but users exist already: nothing to create');
    return;
  }
  const name = email.split('@')[0] ?? email;
  const weakness = passwordWeakness(bootstrap.password, { email, name, organisationName: bootstrap.organisationName });
  const result = await createOrganisationWithAdmin(
    database,
    { organisationName: bootstrap.organisationName, name, email, password: bootstrap.password, mustChangePassword: weakness !== undefined },
    { now, onlyIfNoUsers: true },
  );
  if (result.ok && weakness !== undefined) {
    logger.warn({ weakness }, 'HUB_ADMIN_PASSWORD is easy to guess: the first admin must choose another at first log-in');
  }
  if (result.ok) logger.info({ organisationId: result.value.organisation.id, userId: result.value.user.id }, `created the first admin ${email}`);
  else logger.debug('HUB_ADMIN_EMAIL is set but another process created the first admin first');
}
