import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { DriftKind } from './drift.js';
import type { SweepPace } from './sweep-budget.js';

type Db = Kysely<Database>;

/** What a sweep has done so far (carried across its runs), and what a finished one reports. */
export interface SweepProgress {
  /** Open links checked (both sides read). */
  checked: number;
  /** Drifts found, by kind (each sent to be healed in the pair's lane). */
  drifts: Partial<Record<DriftKind, number>>;
  /** Requests the sweep itself sent, by provider. */
  requests: Record<string, number>;
  /** Runs (queue jobs) the sweep took so far. */
  runs: number;
  /** Set once every open link was checked: the missed-create scan comes next. */
  linksDone?: boolean;
}

export interface SweepReport extends SweepProgress {
  startedAt: number;
  finishedAt: number;
  durationMs: number;
}

export interface SweepState {
  organisationId: string;
  /** Null between sweeps. */
  startedAt: number | null;
  /** The last link id checked by the sweep in progress. */
  cursor: string | null;
  issuesSince: number | null;
  progress: SweepProgress;
  pace: SweepPace;
  lastSweep: SweepReport | null;
}

export const emptyProgress = (): SweepProgress => ({ checked: 0, drifts: {}, requests: {}, runs: 0 });

export async function loadSweepState(db: Db, organisationId: string): Promise<SweepState> {
  const row = await db.selectFrom('reconcile_sweeps').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst();
  if (row === undefined) return { organisationId, startedAt: null, cursor: null, issuesSince: null, progress: emptyProgress(), pace: {}, lastSweep: null };
  return {
    organisationId,
    startedAt: row.started_at,
    cursor: row.cursor,
    issuesSince: row.issues_since,
    progress: { ...emptyProgress(), ...(JSON.parse(row.progress) as Partial<SweepProgress>) },
    pace: JSON.parse(row.pace) as SweepPace,
    lastSweep: row.last_sweep === null ? null : (JSON.parse(row.last_sweep) as SweepReport),
  };
}

/** Writes the whole state (one row per organisation). */
export async function saveSweepState(db: Db, state: SweepState, at: number): Promise<void> {
  const values = {
    started_at: state.startedAt,
    cursor: state.cursor,
    issues_since: state.issuesSince,
    progress: JSON.stringify(state.progress),
    pace: JSON.stringify(state.pace),
    last_sweep: state.lastSweep === null ? null : JSON.stringify(state.lastSweep),
    last_finished_at: state.lastSweep?.finishedAt ?? null,
    updated_at: at,
  };
  await db
    .insertInto('reconcile_sweeps')
    .values({ organisation_id: state.organisationId, ...values })
    .onConflict((conflict) => conflict.column('organisation_id').doUpdateSet(values))
    .execute();
}
