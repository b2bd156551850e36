import { afterEach, describe, expect, it } from 'vitest';
import { intendWrite, markWriteDone, takeStateEcho } from '../../src/sync/writes.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

/**
 * Recognising the hub's own state changes when they come back (issue 11 item 5): an echo is a
 * write that expected exactly what the vendor shows now; a write the pair moved past (a person
 * acted before its echo arrived) is settled, so a later real change to the same value syncs.
 */
describe.each(testDialects())('state echoes on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => database.destroy());

  async function setUp() {
    database = await createTestDatabase(dialect);
    await database.db.insertInto('organisations').values({ id: 'org_a', name: 'A', created_at: 1 }).execute();
    const write = async (expected: string, at: number) => {
      const { write } = await intendWrite(database.db, { organisationId: 'org_a', linkId: 'lnk_1', kind: 'issue_state', sourceKey: `move-${at}`, expected, at });
      await markWriteDone(database.db, write, at);
      return write;
    };
    const echo = (observed: string) => takeStateEcho(database.db, 'org_a', { kind: 'issue_state', linkId: 'lnk_1', observed });
    return { write, echo };
  }

  it('the value the hub set, seen once, is its echo; seen again it is a real change', async () => {
    const { write, echo } = await setUp();
    const moved = await write('state-in-progress', 10);
    expect((await echo('state-in-progress'))?.id).toBe(moved.id);
    expect(await echo('state-in-progress')).toBeUndefined();
  });

  it('a person acting before the echo arrives: the stale write never swallows a later real change', async () => {
    const { write, echo } = await setUp();
    await write('state-in-progress', 10); // the hub moved the issue to In Progress …
    expect(await echo('state-done')).toBeUndefined(); // … but a person moved it to Done first: real
    // Later someone really moves it to In Progress: that is not the hub's echo any more.
    expect(await echo('state-in-progress')).toBeUndefined();
  });

  it('of several writes, the one matching is the echo and the older ones are settled with it', async () => {
    const { write, echo } = await setUp();
    await write('state-in-progress', 10);
    const done = await write('state-done', 20);
    expect((await echo('state-done'))?.id).toBe(done.id);
    expect(await echo('state-in-progress')).toBeUndefined();
  });

  it('only writes of the same link and kind count', async () => {
    const { write, echo } = await setUp();
    await write('state-done', 10);
    expect(await takeStateEcho(database.db, 'org_a', { kind: 'issue_state', linkId: 'lnk_other', observed: 'state-done' })).toBeUndefined();
    expect(await takeStateEcho(database.db, 'org_a', { kind: 'incident_status', linkId: 'lnk_1', observed: 'state-done' })).toBeUndefined();
    expect(await echo('state-done')).toBeDefined();
  });
});
