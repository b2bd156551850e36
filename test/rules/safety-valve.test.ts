import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { StoredRule } from '../../src/rules/rule.js';
import { findRule, insertRule, listHistory, updateRule } from '../../src/rules/rules-repository.js';
import { newRule } from './fixture.js';
import { admitPage, listSkippedIssues, VALVE_WINDOW_MS, type ValveDeps } from '../../src/rules/safety-valve.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

const MINUTE = 60_000;

describe.each(testDialects())('the safety valve on %s', (dialect) => {
  let database: TestDatabase;
  const clock = new ManualClock(Date.UTC(2026, 11, 4, 9));
  afterEach(async () => database.destroy());

  async function setUp(incidentsPerHour: number): Promise<{ deps: ValveDeps; rule: StoredRule }> {
    database = await createTestDatabase(dialect);
    await database.db.insertInto('organisations').values({ id: 'org_a', name: 'A', created_at: clock.now() }).execute();
    const rule = await insertRule(database.db, newRule('org_a', incidentsPerHour, clock.now()));
    return { deps: { db: database.db, dialect, clock }, rule };
  }

  /** One admission in its own transaction, as the sync engine will call it. */
  const admit = (deps: ValveDeps, rule: StoredRule, issue: string) =>
    database.db.transaction().execute((trx) => admitPage({ ...deps, db: trx }, rule, { issueId: issue, issueLabel: `ENG-${issue}`, deliveryId: null }));

  it('admits the limit, then pauses the rule with the reason and records the page that would exceed it as skipped', async () => {
    const { deps, rule } = await setUp(3);
    for (const issue of ['1', '2', '3']) expect(await admit(deps, rule, issue)).toEqual({ admitted: true });

    const fourth = await admit(deps, rule, '4');
    expect(fourth).toMatchObject({ admitted: false, reason: 'paused', pausedNow: true });
    const paused = await findRule(database.db, 'org_a', rule.id);
    expect(paused?.pausedAt).toBe(clock.now());
    expect(paused?.pausedReason).toBe('Reached its limit of 3 incidents in an hour.');
    expect(paused?.version).toBe(rule.version + 1);
    const history = await listHistory(database.db, 'org_a', rule.id);
    expect(history).toMatchObject([{ action: 'paused', userId: null, changes: ['Paused: Reached its limit of 3 incidents in an hour.'] }]);

    // Later matches while paused are skipped too, hours later as well: only a person resumes.
    clock.advance(3 * VALVE_WINDOW_MS);
    expect(await admit(deps, rule, '5')).toMatchObject({ admitted: false, reason: 'paused', pausedNow: false });
    const skipped = await listSkippedIssues(database.db, 'org_a', { limit: 10 });
    expect(skipped.map((skip) => [skip.issueLabel, skip.reason])).toEqual([
      ['ENG-5', 'paused'],
      ['ENG-4', 'paused'],
    ]);
    expect(skipped[1]?.detail).toContain('Reached its limit of 3 incidents');
  });

  it('counts a sliding hour: a page an hour old no longer counts', async () => {
    const { deps, rule } = await setUp(2);
    expect(await admit(deps, rule, '1')).toEqual({ admitted: true });
    clock.advance(30 * MINUTE);
    expect(await admit(deps, rule, '2')).toEqual({ admitted: true });
    clock.advance(31 * MINUTE); // the first page is now 61 minutes old
    expect(await admit(deps, rule, '3')).toEqual({ admitted: true });
    expect(await admit(deps, rule, '4')).toMatchObject({ admitted: false, pausedNow: true });
  });

  it('pages again once resumed, counting the same hour', async () => {
    const { deps, rule } = await setUp(1);
    expect(await admit(deps, rule, '1')).toEqual({ admitted: true });
    expect(await admit(deps, rule, '2')).toMatchObject({ admitted: false, pausedNow: true });
    const paused = (await findRule(database.db, 'org_a', rule.id))!;
    await updateRule(database.db, paused, { pausedAt: null, pausedReason: null }, { at: clock.now(), userId: null });
    clock.advance(VALVE_WINDOW_MS);
    expect(await admit(deps, rule, '3')).toEqual({ admitted: true });
  });

  it('skips every match of a rule that needs attention, naming what is missing', async () => {
    const { deps, rule } = await setUp(5);
    await updateRule(database.db, rule, { missingReferences: [{ kind: 'label', id: 'lbl-1', name: 'Bug' }] }, { at: clock.now(), userId: null });
    const admission = await admit(deps, rule, '1');
    expect(admission).toMatchObject({ admitted: false, reason: 'needs_attention', pausedNow: false });
    const [skip] = await listSkippedIssues(database.db, 'org_a', { limit: 1 });
    expect(skip?.detail).toBe('Rule "Urgent engineering" needs attention (missing: label Bug).');
  });

  it('records an issue once while it waits, however often it changes', async () => {
    const { deps, rule } = await setUp(1);
    expect(await admit(deps, rule, '1')).toEqual({ admitted: true });
    const first = await admit(deps, rule, '2');
    const again = await admit(deps, rule, '2');
    expect(again).toMatchObject({ admitted: false, reason: 'paused', pausedNow: false });
    expect(!first.admitted && !again.admitted && first.skipId === again.skipId).toBe(true);
    expect(await listSkippedIssues(database.db, 'org_a', { limit: 10 })).toHaveLength(1);
  });

  it('admits exactly the limit when many pages race', async () => {
    const { deps, rule } = await setUp(5);
    const admissions = await Promise.all(Array.from({ length: 12 }, (_, i) => admit(deps, rule, String(i))));
    expect(admissions.filter((admission) => admission.admitted)).toHaveLength(5);
    expect(admissions.filter((admission) => !admission.admitted && admission.pausedNow)).toHaveLength(1);
    expect(await listSkippedIssues(database.db, 'org_a', { limit: 50 })).toHaveLength(7);
    expect(await listHistory(database.db, 'org_a', rule.id)).toHaveLength(1);
  });
});
