import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

type Db = Kysely<Database>;

/** The tables the retention purge deletes from (the `table` label of `hub_retention_purged_total`). */
export const RETENTION_TABLES = ['webhook_deliveries', 'jobs', 'sync_ledger', 'rule_pages', 'rule_skips'] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];

/** The safety valve counts a rule's pages over the last hour (rules/safety-valve.ts); two hours are kept. */
export const RULE_PAGES_KEPT_MS = 2 * 3600_000;

/** What one delete statement is told: which rows are expired, and at most how many to delete. */
export interface ExpiryWindow {
  /** Rows older than this (epoch ms) are past retention. */
  cutoff: number;
  /** The moment of the purge (rule pages are kept for {@link RULE_PAGES_KEPT_MS} from it). */
  now: number;
  limit: number;
}

/**
 * One delete statement per call, removing at most `limit` expired rows of one table (of one
 * organisation, or of the whole installation for jobs); answers how many it deleted. Each is
 * one statement, so each is its own short transaction on both dialects: the intake's writes
 * wait for one small batch at most. The rows are picked by a `LIMIT`ed sub-select on an index
 * (noted at each). What makes a row expired does not turn back (a finished job stays finished,
 * a final outcome final), so a row picked is still expired when it is deleted; the one
 * exception, a closed link reopened at that instant, loses only entries already past retention.
 */
export type ExpiredRowsDeleter = (db: Db, window: ExpiryWindow, organisationId: string) => Promise<number>;

const deleted = (result: { numDeletedRows: bigint } | undefined) => Number(result?.numDeletedRows ?? 0n);

/**
 * Deliveries (the body is a column: it goes with the row) whose outcome is final — processed,
 * ignored or failed — and whose job is finished: succeeded, or already gone. A delivery whose
 * job is queued, running or dead (Failed, waiting for a Replay) is kept, and so is one still
 * `received`. Index: webhook_deliveries (organisation_id, received_at).
 */
export const deleteExpiredDeliveries: ExpiredRowsDeleter = async (db, { cutoff, limit }, organisationId) =>
  deleted(
    await db
      .deleteFrom('webhook_deliveries')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_deliveries as d')
          .leftJoin('jobs as j', 'j.id', 'd.job_id')
          .select('d.id')
          .where('d.organisation_id', '=', organisationId)
          .where('d.received_at', '<', cutoff)
          .where('d.outcome', 'in', ['processed', 'ignored', 'failed'])
          .where((w) => w.or([w('j.id', 'is', null), w('j.status', '=', 'succeeded')]))
          .limit(limit),
      )
      .executeTakeFirst(),
  );

/**
 * A closed link's timeline, once the link has been closed for the whole retention period: the
 * entries older than the cut-off. An open link's timeline is kept whole, however old. Index:
 * sync_ledger (link_id, at), per closed link.
 */
export const deleteExpiredLedgerEntries: ExpiredRowsDeleter = async (db, { cutoff, limit }, organisationId) =>
  deleted(
    await db
      .deleteFrom('sync_ledger')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('sync_ledger as l')
          .innerJoin('sync_links as k', 'k.id', 'l.link_id')
          .select('l.id')
          .where('k.organisation_id', '=', organisationId)
          .where('l.organisation_id', '=', organisationId)
          .where('k.closed_at', '<', cutoff)
          .where('l.at', '<', cutoff)
          .limit(limit),
      )
      .executeTakeFirst(),
  );

/** Pages counted by the safety valve, older than two hours (retention does not apply: only the last hour counts). */
export const deleteExpiredRulePages: ExpiredRowsDeleter = async (db, { now, limit }, organisationId) =>
  deleted(
    await db
      .deleteFrom('rule_pages')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('rule_pages')
          .select('id')
          .where('organisation_id', '=', organisationId)
          .where('paged_at', '<', now - RULE_PAGES_KEPT_MS)
          .limit(limit),
      )
      .executeTakeFirst(),
  );

/**
 * Skipped issues that were paged after all, longer ago than the cut-off. One never paged is
 * kept: it is how a person finds an issue a rule did not page. Index: rule_skips
 * (organisation_id, skipped_at) — paged_at is never before skipped_at.
 */
export const deleteExpiredSkips: ExpiredRowsDeleter = async (db, { cutoff, limit }, organisationId) =>
  deleted(
    await db
      .deleteFrom('rule_skips')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('rule_skips')
          .select('id')
          .where('organisation_id', '=', organisationId)
          .where('skipped_at', '<', cutoff)
          .where('paged_at', '<', cutoff)
          .limit(limit),
      )
      .executeTakeFirst(),
  );

/**
 * Succeeded jobs finished before the cut-off, of every organisation and the installation's own
 * (the queue is installation-wide). Queued, running and dead jobs are never deleted. Index: jobs
 * (status, run_at) — a job never finishes before it may run, so `run_at` narrows the scan to
 * the old ones.
 */
export async function deleteExpiredJobs(db: Db, { cutoff, limit }: ExpiryWindow): Promise<number> {
  return deleted(
    await db
      .deleteFrom('jobs')
      .where('seq', 'in', (eb) =>
        eb
          .selectFrom('jobs')
          .select('seq')
          .where('status', '=', 'succeeded')
          .where('run_at', '<', cutoff)
          .where('finished_at', '<', cutoff)
          .limit(limit),
      )
      .executeTakeFirst(),
  );
}

/** Per organisation, in this order (deliveries first: their jobs' state decides which go). */
export const ORGANISATION_DELETERS: ReadonlyArray<[RetentionTable, ExpiredRowsDeleter]> = [
  ['webhook_deliveries', deleteExpiredDeliveries],
  ['sync_ledger', deleteExpiredLedgerEntries],
  ['rule_pages', deleteExpiredRulePages],
  ['rule_skips', deleteExpiredSkips],
];
