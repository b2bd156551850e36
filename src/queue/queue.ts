import { EventEmitter } from 'node:events';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { HubDatabase } from '../db/database.js';
import type { Database } from '../db/tables.js';
import type { JobKind } from './catalog.js';
import type { NewJob } from './job.js';
import { insertJob, insertJobs } from './jobs-repository.js';
import { entityLane, entityLaneResolver, type LaneEntity, type LaneResolver } from './lanes.js';

export interface EnqueueOptions {
  organisationId?: string | null;
  /** Jobs sharing a lane run one at a time, in enqueue order (lanes.ts). */
  lane?: string | null;
  /**
   * What the job is about: the queue's LaneResolver picks its lane (the entity's own, or its
   * link's). Instead of `lane`.
   */
  laneOf?: LaneEntity;
  /** Not before this time (default: now). */
  runAt?: number;
}

/**
 * Enqueuing and waking workers. `enqueue` writes inside the caller's transaction, so a job
 * exists exactly when the caller's own writes do. Wake-ups: on PostgreSQL a NOTIFY sent in that
 * transaction reaches every process's workers when it commits; in this process, call
 * {@link JobQueue.wake} after the commit (SQLite has no NOTIFY: other processes poll).
 */
export class JobQueue {
  readonly #database: HubDatabase;
  readonly #clock: Clock;
  readonly #laneResolver: LaneResolver;
  readonly #local = new EventEmitter();
  /** NOTIFY channel, per schema so that test schemas in one database do not wake each other. */
  readonly channel: string;

  /** `laneResolver` decides the lane of jobs enqueued with `laneOf` (default: the entity's own lane). */
  constructor(database: HubDatabase, clock: Clock, options: { laneResolver?: LaneResolver } = {}) {
    this.#database = database;
    this.#clock = clock;
    this.#laneResolver = options.laneResolver ?? entityLaneResolver;
    this.channel = `hub_jobs_${database.schema ?? 'public'}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    this.#local.setMaxListeners(100);
  }

  /** Writes a job in `db` (a transaction, usually). Throws if the payload does not fit the kind. */
  async enqueue<Payload>(db: Kysely<Database>, kind: JobKind<Payload>, payload: Payload, options: EnqueueOptions = {}): Promise<string> {
    const id = await this.#insert(db, kind, payload, options, null);
    if (id === null) throw new Error('enqueue: a job without a unique key was not written');
    return id;
  }

  /**
   * Several jobs of one kind in one statement, in the given order (each with its own lane, as
   * {@link enqueue} would give it), inside the caller's transaction; one NOTIFY on PostgreSQL.
   * An item's `id` is used as the job's id when given (so a row written before, such as a
   * delivery, can name its job without writing it back). No unique keys here. Returns the ids.
   */
  async enqueueMany<Payload>(
    db: Kysely<Database>,
    kind: JobKind<Payload>,
    items: ReadonlyArray<{ id?: string; payload: Payload; options?: EnqueueOptions }>,
  ): Promise<string[]> {
    if (items.length === 0) return [];
    const now = this.#clock.now();
    const jobs: NewJob[] = [];
    for (const item of items) {
      const options = item.options ?? {};
      jobs.push({
        id: item.id ?? newId('job'),
        organisationId: options.organisationId ?? null,
        kind: kind.kind,
        payload: JSON.stringify(kind.payload.parse(item.payload)),
        lane: await this.#laneOf(db, options),
        maxAttempts: kind.retry.maxAttempts,
        runAt: options.runAt ?? now,
        createdAt: now,
        uniqueKey: null,
      });
    }
    await insertJobs(db, jobs);
    if (this.#database.dialect === 'postgres') await sql`select pg_notify(${this.channel}, '')`.execute(db);
    return jobs.map((job) => job.id);
  }

  /**
   * Like {@link enqueue}, for a job that may have only one pending (queued or running) instance
   * per `uniqueKey` and organisation: when one is pending, writes nothing and returns null.
   * The database enforces it (a partial unique index), so concurrent callers — other
   * transactions, other processes — end up with exactly one pending job.
   */
  async enqueueUnique<Payload>(
    db: Kysely<Database>,
    kind: JobKind<Payload>,
    payload: Payload,
    options: EnqueueOptions & { uniqueKey: string },
  ): Promise<string | null> {
    return this.#insert(db, kind, payload, options, options.uniqueKey);
  }

  async #insert<Payload>(
    db: Kysely<Database>,
    kind: JobKind<Payload>,
    payload: Payload,
    options: EnqueueOptions,
    uniqueKey: string | null,
  ): Promise<string | null> {
    const parsed = kind.payload.parse(payload);
    const now = this.#clock.now();
    const id = newId('job');
    const written = await insertJob(db, {
      id,
      organisationId: options.organisationId ?? null,
      kind: kind.kind,
      payload: JSON.stringify(parsed),
      lane: await this.#laneOf(db, options),
      maxAttempts: kind.retry.maxAttempts,
      runAt: options.runAt ?? now,
      createdAt: now,
      uniqueKey,
    });
    if (!written) return null;
    if (this.#database.dialect === 'postgres') await sql`select pg_notify(${this.channel}, '')`.execute(db);
    return id;
  }

  async #laneOf(db: Kysely<Database>, options: EnqueueOptions): Promise<string | null> {
    const entity = options.laneOf;
    if (entity === undefined) return options.lane ?? null;
    if (options.lane !== undefined) throw new Error('enqueue: give either lane or laneOf, not both');
    const organisationId = options.organisationId ?? null;
    // An installation-wide job belongs to no organisation's link.
    if (organisationId === null) return entityLane(entity.provider, entity.kind, entity.id);
    return this.#laneResolver(db, organisationId, entity);
  }

  /** Enqueues in its own transaction and wakes this process's workers. */
  async enqueueNow<Payload>(kind: JobKind<Payload>, payload: Payload, options: EnqueueOptions = {}): Promise<string> {
    const id = await this.#database.db.transaction().execute((trx) => this.enqueue(trx, kind, payload, options));
    this.wake();
    return id;
  }

  /**
   * Brings forward the organisation's jobs deferred while waiting for `what` (e.g.
   * `connection:linear` after a reconnect) and wakes the workers of every process.
   */
  async resumeWaiting(organisationId: string, what: string): Promise<number> {
    const now = this.#clock.now();
    const result = await this.#database.db
      .updateTable('jobs')
      .set({ run_at: now, waiting_for: null, updated_at: now })
      .where('organisation_id', '=', organisationId)
      .where('status', '=', 'queued')
      .where('waiting_for', '=', what)
      .executeTakeFirst();
    if (this.#database.dialect === 'postgres') await sql`select pg_notify(${this.channel}, '')`.execute(this.#database.db);
    this.wake();
    return Number(result.numUpdatedRows);
  }

  /** Tells this process's workers that work may be waiting. Call after the enqueueing transaction commits. */
  wake(): void {
    this.#local.emit('wake');
  }

  onWake(listener: () => void): () => void {
    this.#local.on('wake', listener);
    return () => this.#local.off('wake', listener);
  }
}
