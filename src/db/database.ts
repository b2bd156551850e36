import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/index.js';
import { startWalCheckpointer } from './sqlite-checkpointer.js';
import { createHubSqliteDialect, withStatementCache } from './sqlite-dialect.js';
import type { Database } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';

/** A database handle plus what callers need to know about it. */
export interface HubDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL only: the schema this handle works in (tests use one schema per database). */
  schema?: string;
  /**
   * PostgreSQL only: LISTEN on `channel` over a dedicated connection; `onNotify` runs for every
   * NOTIFY. Resolves to a function that stops listening. Connection errors are reported to
   * `onError` (callers keep a polling fallback).
   */
  listen?: (channel: string, onNotify: () => void, onError: (error: Error) => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL: work inside this schema (created if missing). Used by tests for isolation. */
  schema?: string;
  /** PostgreSQL pool size. */
  maxConnections?: number;
}

/**
 * Opens SQLite (WAL, foreign keys, busy timeout; a new file is created 0600 in a folder
 * created 0700) or a PostgreSQL pool. Times are stored as
 * bigint milliseconds; `pg` returns int8 as strings, so we parse them back to numbers here,
 * once (safe: epoch milliseconds stay far below 2^53).
 */
export async function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<HubDatabase> {
  if (config.dialect === 'sqlite') {
    const onDisk = config.file !== ':memory:';
    // Only the hub's own user may read the data at rest: a folder we create is 0700 (an
    // existing one is left as the operator set it), a database file we create is 0600.
    if (onDisk) mkdirSync(path.dirname(config.file), { recursive: true, mode: 0o700 });
    // Create a new file 0600 ourselves, so it is never readable by others even for a moment;
    // SQLite then gives the -wal and -shm files the database file's mode.
    if (onDisk && !existsSync(config.file)) closeSync(openSync(config.file, 'a', 0o600));
    // The busy timeout comes first: two processes opening one new file at once contend for the
    // lock that switching to WAL takes.
    const sqlite = new SqliteDatabase(config.file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    try {
      await switchToWal(sqlite);
      sqlite.pragma(`synchronous = ${config.synchronous}`);
      // A page cache of 32 MB (SQLite's default is 2 MB): the intake's unique indexes take keys
      // in random order, so a burst touches index pages all over the file (docs/benchmarks.md).
      // Filled only as pages are read: a small database stays small in memory.
      sqlite.pragma('cache_size = -32768');
      // On disk, a thread of its own checkpoints the WAL (sqlite-checkpointer.ts); the
      // connection's own checkpoint, on the committing request's turn, is only the fallback,
      // past ~40 MB of WAL (SQLite's default: 4 MB).
      if (onDisk) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_WAL_FALLBACK_CHECKPOINT_PAGES}`);
      sqlite.pragma('foreign_keys = ON');
    } catch (error) {
      sqlite.close(); // e.g. the file is not a database
      throw error;
    }
    const db = new Kysely<Database>({ dialect: createHubSqliteDialect({ database: withStatementCache(sqlite) }) });
    const checkpointer = onDisk
      ? startWalCheckpointer({ file: config.file, synchronous: config.synchronous, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS })
      : undefined;
    const close = async () => {
      await checkpointer?.stop();
      await db.destroy();
    };
    return { db, dialect: 'sqlite', close };
  }

  const { INT8, NUMERIC } = pg.types.builtins;
  const types: pg.CustomTypesConfig = {
    getTypeParser: (oid, format): unknown =>
      oid === INT8 || oid === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
  };

  if (options.schema !== undefined) {
    const admin = new pg.Client({ connectionString: config.url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${quoteIdent(options.schema)}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: options.maxConnections ?? 10,
    types,
    ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
    listen: async (channel, onNotify, onError) => {
      const client = new pg.Client({ connectionString: config.url });
      client.on('error', onError);
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify();
      });
      await client.connect();
      await client.query(`listen ${quoteIdent(channel)}`);
      return async () => {
        client.removeAllListeners('notification');
        await client.end().catch(() => undefined);
      };
    },
    close: () => db.destroy(),
  };
}

const SQLITE_BUSY_TIMEOUT_MS = 5000;
const SQLITE_WAL_FALLBACK_CHECKPOINT_PAGES = 10_000;

/**
 * `journal_mode = WAL` needs an exclusive lock, and SQLite may answer SQLITE_BUSY at once
 * (without its busy handler) while another process is switching or migrating; retry within the
 * busy timeout rather than failing start-up.
 */
async function switchToWal(sqlite: SqliteDatabase.Database): Promise<void> {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const busy = (error as { code?: unknown }).code === 'SQLITE_BUSY';
      if (!busy || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
    }
  }
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

/** True when the database answers a trivial query. */
export async function pingDatabase(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
