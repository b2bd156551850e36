import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/db/group-commit.js';
import type { Database } from '../src/db/tables.js';
import { createTestDatabase, testDialects, type TestDatabase } from './helpers/databases.js';

/** Group commit (src/db/group-commit.ts), the intake's writer, on a scratch table. */
describe.each(testDialects())('group commit (%s)', (dialect) => {
  let database: TestDatabase;
  const rows = async () => (await sql<{ id: string }>`select id from gc_rows order by id`.execute(database.db)).rows.map((row) => row.id);

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrate: false });
    await sql`create table gc_rows (id text primary key)`.execute(database.db);
  });
  afterAll(async () => database.destroy());

  function writer(calls: string[][]) {
    return new GroupCommit<string, string>(database.db, async (trx: Kysely<Database>, ids) => {
      calls.push([...ids]);
      for (const id of ids) {
        if (id.startsWith('bad')) throw new Error(`refused ${id}`);
        await sql`insert into gc_rows (id) values (${id})`.execute(trx);
      }
      return ids.map((id) => `stored ${id}`);
    });
  }

  it('writes submitted together share one transaction; each is answered, in order, only once committed', async () => {
    await sql`delete from gc_rows`.execute(database.db);
    const calls: string[][] = [];
    const commit = writer(calls);
    const ids = Array.from({ length: 20 }, (_, n) => `a${String(n).padStart(2, '0')}`);
    const answers = await Promise.all(
      ids.map(async (id) => {
        const answer = await commit.submit(id);
        // Committed by the time its caller hears of it: visible outside the transaction.
        const visible = await sql<{ n: number | string }>`select count(*) as n from gc_rows where id = ${id}`.execute(database.db);
        return { answer, visible: Number(visible.rows[0]?.n) };
      }),
    );
    expect(answers).toEqual(ids.map((id) => ({ answer: `stored ${id}`, visible: 1 })));
    expect(calls).toEqual([ids]);
    expect(await rows()).toEqual(ids);
  });

  it('a write that fails its batch fails alone: the batch is rolled back and the others are written one by one', async () => {
    await sql`delete from gc_rows`.execute(database.db);
    const calls: string[][] = [];
    const commit = writer(calls);
    const outcomes = await Promise.allSettled(['b1', 'bad', 'b2'].map((id) => commit.submit(id)));
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : String(outcome.reason)))).toEqual([
      'stored b1',
      'Error: refused bad',
      'stored b2',
    ]);
    expect(calls).toEqual([['b1', 'bad', 'b2'], ['b1'], ['bad'], ['b2']]);
    expect(await rows()).toEqual(['b1', 'b2']);
  });

  it('a write submitted while a batch is being written goes into the next batch', async () => {
    await sql`delete from gc_rows`.execute(database.db);
    const calls: string[][] = [];
    const commit = writer(calls);
    const first = commit.submit('c1');
    await new Promise((resolve) => setImmediate(resolve)); // the first batch has started
    const later = await Promise.all([commit.submit('c2'), commit.submit('c3')]);
    expect(await first).toBe('stored c1');
    expect(later).toEqual(['stored c2', 'stored c3']);
    expect(calls).toEqual([['c1'], ['c2', 'c3']]);
  });
});
