// A fresh database for one run: a SQLite file in a temp folder, or a PostgreSQL database of its
// own on the server of BENCH_PG_URL / TEST_DATABASE_URL / DATABASE_URL (created and dropped here).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const dist = new URL('../../dist/', import.meta.url);
const { openDatabase } = await import(new URL('src/db/database.js', dist).href);

/** The PostgreSQL server to use, if any. */
export const postgresUrl = () => process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

async function admin(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * `{ url, version, open(), drop() }`: `url` is the hub's DATABASE_URL, `open()` a Kysely handle
 * (dist/src/db/database.js) for reading what the hub stored.
 */
export async function freshDatabase(dialect) {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'hub-chaos-'));
    const file = path.join(dir, 'hub.db');
    return {
      url: `sqlite:${file}`,
      open: () => openDatabase({ dialect: 'sqlite', file, synchronous: 'NORMAL' }),
      version: async (database) => `SQLite ${(await database.db.selectNoFrom((eb) => eb.fn('sqlite_version', []).as('v')).executeTakeFirstOrThrow()).v}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = postgresUrl();
  if (server === undefined) throw new Error('PostgreSQL: set BENCH_PG_URL or TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  const name = `hub_chaos_${randomBytes(5).toString('hex')}`;
  await admin(server, `create database "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    open: () => openDatabase({ dialect: 'postgres', url: url.toString() }, { maxConnections: 2 }),
    version: async () => `PostgreSQL ${(await admin(server, 'show server_version')).rows[0].server_version}`,
    drop: async () => {
      await admin(server, `drop database if exists "${name}" with (force)`);
    },
  };
}
