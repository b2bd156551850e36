import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/tables.js';
import type { StoredRule } from './rule.js';
import { appendHistory, findRule, updateRule } from './rules-repository.js';

/**
 * The safety valve (issue 10 item 7): a rule opens at most `incidentsPerHour` incidents in any
 * sliding hour. The page that would exceed it pauses the rule instead — with the reason and the
 * time, until an admin resumes it — and is recorded as skipped, like every later match while
 * paused, so nothing is lost: a skipped record keeps what is needed to page it later.
 *
 * `admitPage` runs inside the caller's transaction, the one that records the page, so a page is
 * counted exactly when it happens. Concurrent admissions for one rule are serialised: SQLite
 * transactions take the write lock up front (BEGIN IMMEDIATE); on PostgreSQL the rule's row is
 * locked (FOR UPDATE) before counting.
 */

export const VALVE_WINDOW_MS = 60 * 60 * 1000;

/** The issue a page is for, named for people in the skipped record. */
export interface PageRequest {
  issueId: string;
  /** `ENG-12 Checkout fails` */
  issueLabel: string | null;
  /** The delivery that brought the match, when one did. */
  deliveryId: string | null;
}

export type Admission =
  | { admitted: true }
  /** Not paged: the rule is paused (now or already), or needs attention; `skipId` names the record. */
  | { admitted: false; reason: 'paused' | 'needs_attention'; skipId: string; pausedNow: boolean };

export interface ValveDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
}

/** Counts the page against the rule's hour, or pauses the rule and records the skip. */
export async function admitPage(deps: ValveDeps, rule: Pick<StoredRule, 'id' | 'organisationId'>, page: PageRequest): Promise<Admission> {
  const { db, clock } = deps;
  const now = clock.now();
  const current = await lockedRule(deps, rule);
  if (current === undefined) throw new Error(`rule ${rule.id} is gone`);

  if (current.missingReferences.length > 0) {
    const missing = current.missingReferences.map((reference) => `${reference.kind} ${reference.name ?? reference.id}`).join(', ');
    const skipId = await recordSkip(db, current, page, 'needs_attention', `Rule "${current.name}" needs attention (missing: ${missing}).`, now);
    return { admitted: false, reason: 'needs_attention', skipId, pausedNow: false };
  }
  if (current.pausedAt !== null) {
    const skipId = await recordSkip(db, current, page, 'paused', `Rule "${current.name}" is paused: ${current.pausedReason ?? 'paused'}`, now);
    return { admitted: false, reason: 'paused', skipId, pausedNow: false };
  }

  const counted = await db
    .selectFrom('rule_pages')
    .select((eb) => eb.fn.countAll<number>().as('pages'))
    .where('rule_id', '=', current.id)
    .where('paged_at', '>', now - VALVE_WINDOW_MS)
    .executeTakeFirstOrThrow();
  if (counted.pages < current.incidentsPerHour) {
    await db
      .insertInto('rule_pages')
      .values({ id: newId('rpg'), organisation_id: current.organisationId, rule_id: current.id, issue_id: page.issueId, paged_at: now })
      .execute();
    return { admitted: true };
  }

  const reason = `Reached its limit of ${current.incidentsPerHour} incident${current.incidentsPerHour === 1 ? '' : 's'} in an hour.`;
  const paused = await updateRule(db, current, { pausedAt: now, pausedReason: reason }, { at: now, userId: null });
  // The row is locked (or the database is), so the version cannot have moved meanwhile.
  if (paused === undefined) throw new Error(`rule ${current.id} changed while locked`);
  await appendHistory(db, { organisationId: current.organisationId, ruleId: current.id, at: now, userId: null, action: 'paused', changes: [`Paused: ${reason}`] });
  const skipId = await recordSkip(db, paused, page, 'paused', `Rule "${paused.name}" paused: ${reason}`, now);
  return { admitted: false, reason: 'paused', skipId, pausedNow: true };
}

async function lockedRule(deps: ValveDeps, rule: Pick<StoredRule, 'id' | 'organisationId'>): Promise<StoredRule | undefined> {
  if (deps.dialect === 'postgres') {
    // Take the row lock first; the repository then reads the row this transaction now owns.
    await deps.db.selectFrom('rules').select('id').where('organisation_id', '=', rule.organisationId).where('id', '=', rule.id).forUpdate().execute();
  }
  return findRule(deps.db, rule.organisationId, rule.id);
}

async function recordSkip(
  db: Kysely<Database>,
  rule: StoredRule,
  page: PageRequest,
  reason: 'paused' | 'needs_attention',
  detail: string,
  at: number,
): Promise<string> {
  // One record per issue and rule while it waits: later updates of the same issue add none.
  const waiting = await db
    .selectFrom('rule_skips')
    .select('id')
    .where('organisation_id', '=', rule.organisationId)
    .where('rule_id', '=', rule.id)
    .where('issue_id', '=', page.issueId)
    .where('reason', '=', reason)
    .where('paged_at', 'is', null)
    .executeTakeFirst();
  if (waiting !== undefined) return waiting.id;
  const id = newId('skp');
  await db
    .insertInto('rule_skips')
    .values({
      id,
      organisation_id: rule.organisationId,
      rule_id: rule.id,
      rule_name: rule.name,
      issue_id: page.issueId,
      issue_label: page.issueLabel,
      reason,
      detail,
      delivery_id: page.deliveryId,
      skipped_at: at,
      paged_at: null,
      paged_by: null,
    })
    .execute();
  return id;
}

/** An issue a rule skipped, as Activity lists it. */
export interface SkippedIssue {
  id: string;
  ruleId: string;
  ruleName: string;
  issueId: string;
  issueLabel: string | null;
  reason: 'paused' | 'needs_attention';
  detail: string;
  deliveryId: string | null;
  skippedAt: number;
  pagedAt: number | null;
}

/** The organisation's skipped issues, newest first, `limit` at a time (before the cursor's time and id). */
export async function listSkippedIssues(
  db: Kysely<Database>,
  organisationId: string,
  options: { limit: number; ruleId?: string | undefined; before?: { at: number; id: string } | undefined },
): Promise<SkippedIssue[]> {
  let query = db.selectFrom('rule_skips').selectAll().where('organisation_id', '=', organisationId);
  if (options.ruleId !== undefined) query = query.where('rule_id', '=', options.ruleId);
  const before = options.before;
  if (before !== undefined) {
    query = query.where((eb) => eb.or([eb('skipped_at', '<', before.at), eb.and([eb('skipped_at', '=', before.at), eb('id', '<', before.id)])]));
  }
  const rows = await query.orderBy('skipped_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    issueId: row.issue_id,
    issueLabel: row.issue_label,
    reason: row.reason,
    detail: row.detail,
    deliveryId: row.delivery_id,
    skippedAt: row.skipped_at,
    pagedAt: row.paged_at,
  }));
}
