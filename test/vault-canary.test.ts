/**
 * A raw dump of the database never contains a secret in clear: planted canaries are stored
 * through the real hub's vault (deps.vault), then every byte of the SQLite files (before and
 * after a checkpoint) or every row of every PostgreSQL table is searched for them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../src/db/database.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { createOrganisation, refFor } from './helpers/vault.js';

const canary = `canary-secret-${randomBytes(12).toString('hex')}`;
/** Stored in clear on purpose (an organisation name), to prove the search can find things. */
const control = `control-marker-${randomBytes(12).toString('hex')}`;
const forms = [canary, Buffer.from(canary).toString('base64'), Buffer.from(canary).toString('hex')];

async function sqliteFiles(hub: TestHub): Promise<Buffer[]> {
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(hub.database.db);
  const main = rows.find((row) => row.name === 'main')!.file;
  return [main, `${main}-wal`, `${main}-shm`].filter((file) => existsSync(file)).map((file) => readFileSync(file));
}

async function postgresDump(hub: TestHub): Promise<string> {
  const schema = hub.database.schema!;
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE'`.execute(hub.database.db);
  expect(tables.rows.map((row) => row.table_name)).toContain('vault_secrets');
  let dump = '';
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.raw(`${quoteIdent(schema)}.${quoteIdent(table_name)}`)} t`.execute(hub.database.db);
    dump += rows.rows.map((row) => row.row).join('\n');
  }
  return dump;
}

describe.each(testDialects())('canary secrets on %s', (dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(dialect);
  });
  afterAll(async () => hub?.close());

  it('never appear in clear in the database or the logs', async () => {
    const { db } = hub.database;
    const { vault } = hub.hub.deps;
    const orgs = [await createOrganisation(db), await createOrganisation(db)];
    await db.insertInto('organisations').values({ id: 'org_control', name: control, created_at: Date.now() }).execute();
    let planted = 0;
    for (const org of orgs) {
      for (const owner of ['con_pagerduty', 'con_linear', 'whk_1']) {
        for (const field of ['access_token', 'refresh_token', 'signing_secret']) {
          await vault.put(db, refFor(org, owner, field), `${canary}-${field}`);
          planted++;
        }
      }
    }
    await vault.put(db, refFor(orgs[0]!, 'con_pagerduty', 'access_token'), canary); // a replaced value too
    expect(await vault.get(db, refFor(orgs[1]!, 'whk_1', 'signing_secret'))).toBe(`${canary}-signing_secret`);
    const count = await db.selectFrom('vault_secrets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(planted);

    if (dialect === 'sqlite') {
      const before = await sqliteFiles(hub);
      expect(before.length).toBeGreaterThanOrEqual(2); // the .db and its -wal at least
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
      const after = await sqliteFiles(hub);
      expect(Buffer.concat(before).includes(Buffer.from(control))).toBe(true);
      expect(Buffer.concat(after).includes(Buffer.from(control))).toBe(true);
      for (const bytes of [...before, ...after]) {
        for (const form of forms) expect(bytes.includes(Buffer.from(form))).toBe(false);
      }
      // The dump is not vacuous: the envelopes themselves are there.
      const envelope = (await db.selectFrom('vault_secrets').select('envelope').executeTakeFirstOrThrow()).envelope;
      expect(Buffer.concat(after).includes(Buffer.from(envelope))).toBe(true);
    } else {
      const dump = await postgresDump(hub);
      expect(dump).toContain('v1.');
      expect(dump).toContain(control);
      for (const form of forms) expect(dump).not.toContain(form);
    }
    for (const form of forms) expect(hub.logs.text).not.toContain(form);
  });
});
