import type { Kysely, Selectable } from 'kysely';
import { newId } from '../core/ids.js';
import type { Database, SyncLinksTable } from '../db/tables.js';
import type { RuleSync } from '../rules/rule.js';
import type { Link, LinkState } from './link.js';

type Db = Kysely<Database>;
type LinkRow = Selectable<SyncLinksTable>;


function fromRow(row: LinkRow): Link {
  const incident =
    row.incident_id === null || row.incident_number === null || row.incident_url === null || row.incident_status === null
      ? null
      : { id: row.incident_id, number: row.incident_number, url: row.incident_url, status: row.incident_status };
  return {
    id: row.id,
    organisationId: row.organisation_id,
    rule: { id: row.rule_id, name: row.rule_name },
    issue: { id: row.issue_id, identifier: row.issue_identifier, title: row.issue_title, url: row.issue_url, teamId: row.team_id },
    issueState: row.issue_state === null ? null : (JSON.parse(row.issue_state) as LinkState),
    incident,
    service: { id: row.service_id, name: row.service_name },
    incidentKey: row.incident_key,
    stateBeforeHub: row.state_before_hub === null ? null : (JSON.parse(row.state_before_hub) as { id: string; name: string }),
    syncSettings: { incidentLinkAs: 'attachment', ...(JSON.parse(row.sync_settings) as Partial<RuleSync>) } as RuleSync,
    openedBySkip: row.opened_by_skip,
    lastInAt: row.last_in_at,
    lastOutAt: row.last_out_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Rows to links, for the listing (links-listing.ts). */
export { fromRow as linkFromRow };

export async function findLinkByIssue(db: Db, organisationId: string, issueId: string): Promise<Link | undefined> {
  const row = await db.selectFrom('sync_links').selectAll().where('organisation_id', '=', organisationId).where('issue_id', '=', issueId).executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

export async function findLinkByIncident(db: Db, organisationId: string, incidentId: string): Promise<Link | undefined> {
  const row = await db
    .selectFrom('sync_links')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/**
 * The links of these issue or incident ids (a delivery's subject), as id → link id: what Activity
 * rows link to.
 */
export async function linkIdsOf(db: Db, organisationId: string, subjectIds: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (subjectIds.length === 0) return found;
  const rows = await db
    .selectFrom('sync_links')
    .select(['id', 'issue_id', 'incident_id'])
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('issue_id', 'in', subjectIds), eb('incident_id', 'in', subjectIds)]))
    .execute();
  for (const row of rows) {
    found.set(row.issue_id, row.id);
    if (row.incident_id !== null) found.set(row.incident_id, row.id);
  }
  return found;
}

export async function findLink(db: Db, organisationId: string, id: string): Promise<Link | undefined> {
  const row = await db.selectFrom('sync_links').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** What opening an incident for an issue writes first (the incident is filled in after the call). */
export interface OpeningLink {
  organisationId: string;
  rule: { id: string; name: string };
  issue: Link['issue'];
  issueState: LinkState;
  service: { id: string; name: string };
  incidentKey: string;
  syncSettings: RuleSync;
  openedBySkip: string | null;
  at: number;
}

/**
 * Writes the link of an issue about to page: a new row, or the issue's existing link re-pointed
 * (its previous incident resolved and not reopened). Returns the link, incident null.
 */
export async function openLink(db: Db, opening: OpeningLink): Promise<Link> {
  const values = {
    rule_id: opening.rule.id,
    rule_name: opening.rule.name,
    issue_identifier: opening.issue.identifier,
    issue_title: opening.issue.title,
    issue_url: opening.issue.url,
    team_id: opening.issue.teamId,
    issue_state: JSON.stringify(opening.issueState),
    incident_id: null,
    incident_number: null,
    incident_url: null,
    incident_status: null,
    service_id: opening.service.id,
    service_name: opening.service.name,
    incident_key: opening.incidentKey,
    state_before_hub: null,
    sync_settings: JSON.stringify(opening.syncSettings),
    opened_by_skip: opening.openedBySkip,
    last_error: null,
    last_error_at: null,
    closed_at: null,
    updated_at: opening.at,
  };
  const existing = await findLinkByIssue(db, opening.organisationId, opening.issue.id);
  if (existing === undefined) {
    await db
      .insertInto('sync_links')
      .values({ id: newId('lnk'), organisation_id: opening.organisationId, issue_id: opening.issue.id, created_at: opening.at, last_in_at: null, last_out_at: null, ...values })
      .execute();
  } else {
    await db.updateTable('sync_links').set(values).where('id', '=', existing.id).execute();
  }
  const link = await findLinkByIssue(db, opening.organisationId, opening.issue.id);
  if (link === undefined) throw new Error('the link just written is gone');
  return link;
}

/** What sync changes on a link as it works. */
export interface LinkChanges {
  incident?: Link['incident'];
  service?: Link['service'];
  issue?: Partial<Omit<Link['issue'], 'id'>>;
  issueState?: LinkState;
  stateBeforeHub?: Link['stateBeforeHub'];
  lastInAt?: number;
  lastOutAt?: number;
  lastError?: { message: string; at: number } | null;
  closedAt?: number | null;
}

export async function updateLink(db: Db, link: Pick<Link, 'id'>, changes: LinkChanges, at: number): Promise<void> {
  const set: Partial<SyncLinksTable> = { updated_at: at };
  if (changes.incident !== undefined) {
    set.incident_id = changes.incident?.id ?? null;
    set.incident_number = changes.incident?.number ?? null;
    set.incident_url = changes.incident?.url ?? null;
    set.incident_status = changes.incident?.status ?? null;
  }
  if (changes.service !== undefined) {
    set.service_id = changes.service.id;
    set.service_name = changes.service.name;
  }
  if (changes.issue?.identifier !== undefined) set.issue_identifier = changes.issue.identifier;
  if (changes.issue?.title !== undefined) set.issue_title = changes.issue.title;
  if (changes.issue?.url !== undefined) set.issue_url = changes.issue.url;
  if (changes.issue?.teamId !== undefined) set.team_id = changes.issue.teamId;
  if (changes.issueState !== undefined) set.issue_state = JSON.stringify(changes.issueState);
  if (changes.stateBeforeHub !== undefined) set.state_before_hub = changes.stateBeforeHub === null ? null : JSON.stringify(changes.stateBeforeHub);
  if (changes.lastInAt !== undefined) set.last_in_at = changes.lastInAt;
  if (changes.lastOutAt !== undefined) set.last_out_at = changes.lastOutAt;
  if (changes.lastError !== undefined) {
    set.last_error = changes.lastError?.message ?? null;
    set.last_error_at = changes.lastError?.at ?? null;
  }
  if (changes.closedAt !== undefined) set.closed_at = changes.closedAt;
  await db.updateTable('sync_links').set(set).where('id', '=', link.id).execute();
}
