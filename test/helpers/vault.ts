/**
 * Helpers for vault suites: a config over a temp DATA_DIR, a capturing logger, organisations
 * to own secrets, and a second handle on the same database (as another process would hold).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { parseConfig, type Config } from '../../src/config/index.js';
import { openDatabase, type HubDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/tables.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import type { SecretRef } from '../../src/vault/envelope.js';
import { TEST_DATABASE_URL } from './databases.js';
import { LogCapture } from './hub.js';

export const newKey = (): Buffer => randomBytes(32);
export const b64 = (key: Buffer): string => key.toString('base64');

export interface TempDataDir {
  dataDir: string;
  /** Config with DATA_DIR set; no HUB_MASTER_KEY unless `env` has one (then: env mode). */
  config(env?: Record<string, string>): Config;
  remove(): void;
}

export function tempDataDir(): TempDataDir {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-vault-'));
  return {
    dataDir,
    config: (env = {}) => parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...env }),
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export function captureLogger(): { logger: Logger; logs: LogCapture } {
  const logs = new LogCapture();
  return { logger: createLogger({ level: 'debug', destination: logs }), logs };
}

export async function createOrganisation(db: Kysely<Database>, id = `org_${randomBytes(6).toString('hex')}`): Promise<string> {
  await db.insertInto('organisations').values({ id, name: id, created_at: Date.now() }).execute();
  return id;
}

export function refFor(organisationId: string, ownerId: string, field = 'access_token', ownerTable = 'connections'): SecretRef {
  return { organisationId, ownerTable, ownerId, field };
}

/** Another handle on the same database, as a second process would have. */
export async function secondHandle(database: HubDatabase): Promise<HubDatabase> {
  if (database.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(database.db);
    const file = rows.find((row) => row.name === 'main')?.file;
    if (file === undefined || file === '') throw new Error('no SQLite file');
    return openDatabase({ dialect: 'sqlite', file, synchronous: 'NORMAL' });
  }
  if (TEST_DATABASE_URL === undefined || database.schema === undefined) throw new Error('no PostgreSQL schema');
  return openDatabase({ dialect: 'postgres', url: TEST_DATABASE_URL }, { schema: database.schema, maxConnections: 3 });
}
