import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, quoteIdent, type Dialect, type HubDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { requirePrerequisite } from './prerequisites.js';

/** PostgreSQL URL for suites that need it (CI sets it; see .ci/run). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/**
 * The dialects a suite must run on. SQLite always; PostgreSQL when TEST_DATABASE_URL is
 * set. With CI=true a missing TEST_DATABASE_URL fails the run instead of skipping.
 */
export function testDialects(): Dialect[] {
  const available = requirePrerequisite('PostgreSQL (TEST_DATABASE_URL)', TEST_DATABASE_URL !== undefined);
  return available ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase extends HubDatabase {
  /** Closes the handle and deletes the file or drops the schema. */
  destroy(): Promise<void>;
}

let counter = 0;

/**
 * A fresh, empty database of the given dialect: a new SQLite file in a temp folder, or a new
 * schema in the PostgreSQL test database. Migrated unless `migrate: false`.
 */
export async function createTestDatabase(dialect: Dialect, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let database: HubDatabase;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'hub-test-'));
    database = await openDatabase({ dialect: 'sqlite', file: path.join(dir, 'hub.db'), synchronous: 'NORMAL' });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    if (TEST_DATABASE_URL === undefined) throw new Error('TEST_DATABASE_URL is not set');
    // Random too: test files sharing a worker process restart `counter`, and two suites on one
    // server (a laptop run beside CI) must never pick the same name and drop each other's schema.
    const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}_${randomBytes(4).toString('hex')}`;
    database = await openDatabase({ dialect: 'postgres', url: TEST_DATABASE_URL }, { schema, maxConnections: 5 });
    cleanup = async () => dropSchema(schema);
  }
  if (options.migrate !== false) await migrateToLatest(database);
  return {
    ...database,
    destroy: async () => {
      await database.close();
      await cleanup();
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
  } finally {
    await client.end();
  }
}
