import type { Kysely, Selectable } from 'kysely';
import { newId } from '../core/ids.js';
import type { Database, RulesTable } from '../db/tables.js';
import type { MissingReference, RuleFilters, RuleNames, RuleRouting, RuleSync, StoredRule } from './rule.js';

type Db = Kysely<Database>;
type RuleRow = Selectable<RulesTable>;

/**
 * Rules rows ⇄ StoredRule. Every query filters by organisation. The form's groups and the last
 * known names are one JSON document (`definition`), read and written whole; the columns beside
 * it are what queries select or order on. Callers run changes inside their transaction.
 */

interface RuleDefinition {
  filters: RuleFilters;
  routing: RuleRouting;
  sync: RuleSync;
  names: RuleNames;
}

const fromRow = (row: RuleRow): StoredRule => {
  const definition = JSON.parse(row.definition) as RuleDefinition;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    position: row.position,
    enabled: row.enabled === 1,
    pausedAt: row.paused_at,
    pausedReason: row.paused_reason,
    missingReferences: JSON.parse(row.missing_references) as MissingReference[],
    filters: definition.filters,
    routing: definition.routing,
    // Rules saved before `incidentLinkAs` existed posted the link as an attachment.
    sync: { ...definition.sync, incidentLinkAs: (definition.sync as Partial<RuleSync>).incidentLinkAs ?? 'attachment' },
    names: definition.names,
    incidentsPerHour: row.incidents_per_hour,
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
};

const definitionOf = (rule: Pick<StoredRule, 'filters' | 'routing' | 'sync' | 'names'>): string =>
  JSON.stringify({ filters: rule.filters, routing: rule.routing, sync: rule.sync, names: rule.names } satisfies RuleDefinition);

/** Names are unique per organisation, compared case-insensitively. */
export const nameKeyOf = (name: string): string => name.toLowerCase();

/** The organisation's rules in evaluation order (position, then id). */
export async function listRules(db: Db, organisationId: string): Promise<StoredRule[]> {
  const rows = await db
    .selectFrom('rules')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

export async function findRule(db: Db, organisationId: string, id: string): Promise<StoredRule | undefined> {
  const row = await db.selectFrom('rules').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** The rule with this name (case-insensitively), if any. */
export async function findRuleByName(db: Db, organisationId: string, name: string): Promise<StoredRule | undefined> {
  const row = await db
    .selectFrom('rules')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('name_key', '=', nameKeyOf(name))
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** The position after the last rule (1 for the first). */
export async function nextPosition(db: Db, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('rules')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return (row?.last ?? 0) + 1;
}

/** What a new rule is made of; the repository gives it an id and version 1. */
export type NewRule = Omit<StoredRule, 'id' | 'version' | 'updatedAt' | 'updatedBy'>;

/** Inserts the rule; a name already taken throws a unique violation (db/errors.ts isUniqueViolation). */
export async function insertRule(db: Db, rule: NewRule): Promise<StoredRule> {
  const id = newId('rul');
  await db
    .insertInto('rules')
    .values({
      id,
      organisation_id: rule.organisationId,
      name: rule.name,
      name_key: nameKeyOf(rule.name),
      position: rule.position,
      enabled: rule.enabled ? 1 : 0,
      paused_at: rule.pausedAt,
      paused_reason: rule.pausedReason,
      missing_references: JSON.stringify(rule.missingReferences),
      team_id: rule.filters.teamId,
      service_id: rule.routing.serviceId,
      definition: definitionOf(rule),
      incidents_per_hour: rule.incidentsPerHour,
      version: 1,
      created_at: rule.createdAt,
      created_by: rule.createdBy,
      updated_at: rule.createdAt,
      updated_by: rule.createdBy,
    })
    .execute();
  return { ...rule, id, version: 1, updatedAt: rule.createdAt, updatedBy: rule.createdBy };
}

/** What an update may change. */
export type RuleChanges = Partial<
  Pick<StoredRule, 'name' | 'enabled' | 'pausedAt' | 'pausedReason' | 'missingReferences' | 'filters' | 'routing' | 'sync' | 'names' | 'incidentsPerHour'>
>;

/**
 * Writes `changes` over `current` when the stored version is still `current.version`, bumping
 * it. Returns the new rule, or undefined when someone changed (or deleted) it meanwhile.
 * A name already taken throws a unique violation.
 */
export async function updateRule(
  db: Db,
  current: StoredRule,
  changes: RuleChanges,
  by: { at: number; userId: string | null },
): Promise<StoredRule | undefined> {
  const next: StoredRule = { ...current, ...changes, version: current.version + 1, updatedAt: by.at, updatedBy: by.userId };
  const result = await db
    .updateTable('rules')
    .set({
      name: next.name,
      name_key: nameKeyOf(next.name),
      enabled: next.enabled ? 1 : 0,
      paused_at: next.pausedAt,
      paused_reason: next.pausedReason,
      missing_references: JSON.stringify(next.missingReferences),
      team_id: next.filters.teamId,
      service_id: next.routing.serviceId,
      definition: definitionOf(next),
      incidents_per_hour: next.incidentsPerHour,
      version: next.version,
      updated_at: next.updatedAt,
      updated_by: next.updatedBy,
    })
    .where('organisation_id', '=', current.organisationId)
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? next : undefined;
}

/** Deletes the rule; false when it was not there. */
export async function deleteRule(db: Db, organisationId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('rules').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows === 1n;
}

/**
 * Gives the rules positions 1…n in this order (ids of the organisation's rules only); `by` is
 * who moved them. The version stays: the order is not part of the form, so moving a rule does
 * not make someone's open edit of it stale (an update never writes the position).
 */
export async function setPositions(db: Db, organisationId: string, order: readonly string[], by: { at: number; userId: string | null }): Promise<void> {
  for (const [index, id] of order.entries()) {
    await db
      .updateTable('rules')
      .set({ position: index + 1, updated_at: by.at, updated_by: by.userId })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .where('position', '!=', index + 1)
      .execute();
  }
}

/**
 * The rule's 1-based place in the evaluation order (position, then id): what people see as
 * its position, whatever gaps deleting left in the stored positions.
 */
export async function rankOf(db: Db, rule: Pick<StoredRule, 'organisationId' | 'id' | 'position'>): Promise<number> {
  const row = await db
    .selectFrom('rules')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('before'))
    .where('organisation_id', '=', rule.organisationId)
    .where((eb) => eb.or([eb('position', '<', rule.position), eb.and([eb('position', '=', rule.position), eb('id', '<', rule.id)])]))
    .executeTakeFirstOrThrow();
  return Number(row.before) + 1;
}

/** The enabled rules by the service they route to, each list in evaluation order. */
export async function enabledRulesByService(db: Db, organisationId: string): Promise<Map<string, Array<{ id: string; name: string }>>> {
  const rows = await db
    .selectFrom('rules')
    .select(['id', 'name', 'service_id'])
    .where('organisation_id', '=', organisationId)
    .where('enabled', '=', 1)
    .orderBy('position')
    .orderBy('id')
    .execute();
  const byService = new Map<string, Array<{ id: string; name: string }>>();
  for (const row of rows) byService.set(row.service_id, [...(byService.get(row.service_id) ?? []), { id: row.id, name: row.name }]);
  return byService;
}

/** The services that enabled rules route to (each once, with the name the latest saw). */
export async function servicesOfEnabledRules(db: Db, organisationId: string): Promise<Array<{ id: string; name: string }>> {
  const services = new Map<string, string>();
  for (const rule of await listRules(db, organisationId)) {
    if (rule.enabled) services.set(rule.routing.serviceId, rule.names.service);
  }
  return [...services].map(([id, name]) => ({ id, name }));
}

/** The rules that route to a PagerDuty service (any state), in evaluation order. */
export async function rulesForService(db: Db, organisationId: string, serviceId: string): Promise<Array<{ id: string; name: string; enabled: boolean }>> {
  const rows = await db
    .selectFrom('rules')
    .select(['id', 'name', 'enabled'])
    .where('organisation_id', '=', organisationId)
    .where('service_id', '=', serviceId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, enabled: row.enabled === 1 }));
}

/** One entry of a rule's history. */
export interface RuleHistoryEntry {
  ruleId: string;
  organisationId: string;
  at: number;
  userId: string | null;
  action: string;
  changes: readonly string[];
}

export async function appendHistory(db: Db, entry: RuleHistoryEntry): Promise<void> {
  await db
    .insertInto('rule_history')
    .values({
      id: newId('rlh'),
      organisation_id: entry.organisationId,
      rule_id: entry.ruleId,
      at: entry.at,
      user_id: entry.userId,
      action: entry.action,
      changes: JSON.stringify(entry.changes),
    })
    .execute();
}

/** The rule's history, newest first (bounded: the 200 latest). */
export async function listHistory(db: Db, organisationId: string, ruleId: string): Promise<RuleHistoryEntry[]> {
  const rows = await db
    .selectFrom('rule_history')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('rule_id', '=', ruleId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => ({
    ruleId: row.rule_id,
    organisationId: row.organisation_id,
    at: row.at,
    userId: row.user_id,
    action: row.action,
    changes: JSON.parse(row.changes) as string[],
  }));
}
