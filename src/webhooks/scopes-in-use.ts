import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

/**
 * The scopes (services) whose webhook rules still need: those an enabled rule routes to, and
 * those of links still open (their incidents' changes must keep arriving). Repair re-creates a
 * rules-managed webhook deleted at the provider only for these (repair-webhooks.ts).
 */
export async function scopesInUse(db: Kysely<Database>, organisationId: string): Promise<Set<string>> {
  const [ruled, linked] = await Promise.all([
    db.selectFrom('rules').select('service_id').where('organisation_id', '=', organisationId).where('enabled', '=', 1).execute(),
    db.selectFrom('sync_links').select('service_id').where('organisation_id', '=', organisationId).where('closed_at', 'is', null).execute(),
  ]);
  return new Set([...ruled, ...linked].map((row) => row.service_id));
}
