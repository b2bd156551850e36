import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { RuleSync, StoredRule } from '../rules/rule.js';
import { findRule } from '../rules/rules-repository.js';
import type { Link } from './link.js';

/**
 * How a link is kept in sync: its rule's switches and states now, or — when the rule was deleted
 * since — the settings the rule had when the link was made, so linked pairs keep syncing.
 */
export async function settingsOf(db: Kysely<Database>, link: Link): Promise<{ rule: StoredRule | undefined; sync: RuleSync }> {
  const rule = await findRule(db, link.organisationId, link.rule.id);
  return { rule, sync: rule?.sync ?? link.syncSettings };
}
