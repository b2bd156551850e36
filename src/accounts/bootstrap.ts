import type { Config } from '../config/index.js';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { normaliseEmail } from './fields.js';
import { createOrganisationWithAdmin } from './organisations.js';
import { anyUserExists } from './users-repository.js';

/**
 * HUB_ADMIN_EMAIL / HUB_ADMIN_PASSWORD: creates the organisation and its first admin at
 * start-up when the installation has no user yet; otherwise does nothing. Safe on every
 * restart and across several processes starting at once. The password is never logged.
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
  const result = await createOrganisationWithAdmin(
    database,
    { organisationName: bootstrap.organisationName, name: email.split('@')[0] ?? email, email, password: bootstrap.password },
    { now, onlyIfNoUsers: true },
  );
  if (result.ok) logger.info({ organisationId: result.organisation.id, userId: result.user.id }, `created the first admin ${email}`);
  else logger.debug('HUB_ADMIN_EMAIL is set but another process created the first admin first');
}
