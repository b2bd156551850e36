import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SkippedResponse } from '../../src/api/index.js';
import { insertRule } from '../../src/rules/rules-repository.js';
import { admitPage } from '../../src/rules/safety-valve.js';
import { client, createUser, login } from '../helpers/client.js';
import { testDialects } from '../helpers/databases.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { firstOrganisation, newOrganisation, type OrganisationAdmin } from '../connections/fixture.js';
import { newRule } from './fixture.js';

/** Activity lists every issue a rule skipped and why (issue 10 items 5 and 7). */
describe.each(testDialects())('GET /api/activity/skipped on %s', (dialect) => {
  let hub: TestHub;
  let org: OrganisationAdmin;
  let other: OrganisationAdmin;
  let ruleIds: string[];

  beforeAll(async () => {
    hub = await startTestHub(dialect);
    org = await firstOrganisation(hub);
    other = await newOrganisation(hub);
    const db = hub.database.db;
    const valve = { db, dialect, clock: hub.hub.deps.clock };
    const first = await insertRule(db, newRule(org.organisationId, 1, Date.now()));
    const second = await insertRule(db, { ...newRule(org.organisationId, 5, Date.now()), name: 'Support', position: 2, missingReferences: [{ kind: 'service', id: 'PGONE', name: 'Old service' }] });
    ruleIds = [first.id, second.id];
    // The first rule pages once, then pauses and skips; the second needs attention and skips all.
    for (const issue of ['1', '2', '3']) {
      await db.transaction().execute((trx) => admitPage({ ...valve, db: trx }, first, { issueId: `i${issue}`, issueLabel: `ENG-${issue}`, deliveryId: null }));
    }
    for (const issue of ['4', '5']) {
      await db.transaction().execute((trx) => admitPage({ ...valve, db: trx }, second, { issueId: `i${issue}`, issueLabel: `SUP-${issue}`, deliveryId: null }));
    }
  }, 60_000);
  afterAll(async () => hub.close());

  it('pages through every skip, newest first, with the rule, the issue and the reason', async () => {
    const seen: SkippedResponse['skipped'] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
      const response = await org.admin.get<SkippedResponse>(`/api/activity/skipped${query}`);
      expect(response.status).toBe(200);
      seen.push(...response.body.skipped);
      cursor = response.body.nextCursor;
    } while (cursor !== null);
    expect(seen.map((skip) => skip.issue.label).sort()).toEqual(['ENG-2', 'ENG-3', 'SUP-4', 'SUP-5']);
    expect(new Set(seen.map((skip) => skip.id)).size).toBe(4);
    const eng2 = seen.find((skip) => skip.issue.label === 'ENG-2');
    expect(eng2).toMatchObject({ rule: { id: ruleIds[0], name: 'Urgent engineering' }, reason: 'paused', pagedAt: null });
    expect(eng2?.detail).toContain('Reached its limit of 1 incident in an hour');
    expect(seen.find((skip) => skip.issue.label === 'SUP-4')).toMatchObject({ reason: 'needs_attention', detail: 'Rule "Support" needs attention (missing: service Old service).' });
  });

  it('filters by rule', async () => {
    const response = await org.admin.get<SkippedResponse>(`/api/activity/skipped?rule=${ruleIds[1]}`);
    expect(response.body.skipped.map((skip) => skip.issue.label).sort()).toEqual(['SUP-4', 'SUP-5']);
  });

  it('viewers read it; another organisation sees none of it', async () => {
    await createUser(org.admin, { email: 'viewer@acme.test', role: 'viewer', password: 'a long enough password' });
    const viewer = client(hub);
    await login(viewer, 'viewer@acme.test', 'a long enough password');
    expect((await viewer.get<SkippedResponse>('/api/activity/skipped')).body.skipped).toHaveLength(4);
    const foreign = await other.admin.get<SkippedResponse>('/api/activity/skipped');
    expect(foreign.body).toEqual({ skipped: [], nextCursor: null });
    expect((await other.admin.get<SkippedResponse>(`/api/activity/skipped?rule=${ruleIds[0]}`)).body.skipped).toEqual([]);
  });

  it('refuses a forged cursor and unknown parameters with 400 invalid_query', async () => {
    for (const query of ['cursor=bm9wZQ', 'limit=0', 'status=paused']) {
      const response = await org.admin.get(`/api/activity/skipped?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code).toBe('invalid_query');
    }
  });
});
