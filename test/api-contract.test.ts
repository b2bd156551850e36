import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  activityApi,
  connectionsApi,
  ENDPOINTS,
  metaApi,
  organisationApi,
  rulesApi,
  sessionApi,
  usersApi,
  webhooksApi,
  type Endpoint,
  type RequestBody,
  type ResponseBody,
} from '../src/api/index.js';
import { packageRoot } from '../src/core/package-root.js';
import { api } from '../web/src/api/client.js';
import { client, setupFirstAdmin, type HubClient } from './helpers/client.js';
import { endpointFor } from './helpers/contract.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * The API contract (src/api) is the one declaration of every endpoint: routes register and
 * validate from it, the web client is typed from it. These checks fail when either side drifts
 * (and helpers/contract.ts checks every success answer of every API test against it).
 */

const root = packageRoot();

function filesUnder(folder: string, pattern: RegExp): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => pattern.test(file))
    .map((file) => path.join(folder, file));
}

const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** A path with its parameters filled in: `:provider` → pagerduty, any other → `value`. */
const fill = (endpoint: Endpoint, value = 'x') =>
  endpoint.path.replace(/:([a-z]+)/gi, (_match, name: string) => (name === 'provider' && value === 'x' ? 'pagerduty' : value));

/** A complete rule form, as the Rules tab sends it. */
const RULE_FORM = {
  name: 'Urgent engineering',
  filters: { teamId: 'team_1', priorities: [1, 2] as Array<0 | 1 | 2 | 3 | 4>, statusTypes: ['started' as const] },
  routing: { serviceId: 'PSVC1', urgency: 'from_priority' as const },
};

describe('the API contract (src/api)', () => {
  it('declares each method and path once', () => {
    const keys = ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is how every /api route registers: no route file calls app.get/post/patch/delete/route itself', () => {
    const direct = filesUnder('src/http/routes/api', /\.ts$/).filter((file) => /\bapp\.(get|post|put|patch|delete|route)\(/.test(read(file)));
    expect(direct).toEqual([]);
  });

  it('reaches the web app as types, except the zod-free field rules (its bundle carries no zod)', () => {
    const problems: string[] = [];
    for (const file of filesUnder('web/src', /(?<!\.test)\.tsx?$/)) {
      for (const match of read(file).matchAll(/(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'/g)) {
        const [, typeOnly, specifier = ''] = match;
        if (!specifier.includes('/src/')) continue;
        const allowed = specifier.includes('/src/api/') && (typeOnly !== undefined || specifier.endsWith('/src/api/field-rules.js'));
        if (!allowed) problems.push(`${file}: ${match[0].replace(/\s+/g, ' ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('types the web client: each call sends the contract body type and gets its response type', () => {
    expectTypeOf(api.meta).returns.resolves.toEqualTypeOf<ResponseBody<typeof metaApi.get>>();
    expectTypeOf(api.setup).parameter(0).toEqualTypeOf<RequestBody<typeof sessionApi.setup>>();
    expectTypeOf(api.setup).returns.resolves.toEqualTypeOf<ResponseBody<typeof sessionApi.setup>>();
    expectTypeOf(api.logIn).parameter(0).toEqualTypeOf<RequestBody<typeof sessionApi.logIn>>();
    expectTypeOf(api.changePassword).parameter(0).toEqualTypeOf<RequestBody<typeof sessionApi.changePassword>>();
    expectTypeOf(api.users).returns.resolves.toEqualTypeOf<ResponseBody<typeof usersApi.list>>();
    expectTypeOf(api.createUser).parameter(0).toEqualTypeOf<RequestBody<typeof usersApi.add>>();
    expectTypeOf(api.updateUser).parameter(1).toEqualTypeOf<RequestBody<typeof usersApi.change>>();
    expectTypeOf(api.resetUserPassword).returns.resolves.toEqualTypeOf<ResponseBody<typeof usersApi.resetPassword>>();
    expectTypeOf(api.endUserSessions).returns.resolves.toEqualTypeOf<ResponseBody<typeof usersApi.endSessions>>();
    expectTypeOf(api.updateOrganisation).parameter(0).toEqualTypeOf<RequestBody<typeof organisationApi.rename>>();
    expectTypeOf(api.connections).returns.resolves.toEqualTypeOf<ResponseBody<typeof connectionsApi.list>>();
    expectTypeOf(api.authorizeConnection).returns.resolves.toEqualTypeOf<ResponseBody<typeof connectionsApi.authorize>>();
    expectTypeOf(api.disconnect).returns.resolves.toEqualTypeOf<ResponseBody<typeof connectionsApi.disconnect>>();
    expectTypeOf(api.webhooks).returns.resolves.toEqualTypeOf<ResponseBody<typeof webhooksApi.list>>();
    expectTypeOf(api.refreshWebhooks).returns.resolves.toEqualTypeOf<ResponseBody<typeof webhooksApi.refresh>>();
    expectTypeOf(api.createLinearWebhook).parameter(0).toEqualTypeOf<RequestBody<typeof webhooksApi.createLinear>>();
    expectTypeOf(api.deliveries).returns.resolves.toEqualTypeOf<ResponseBody<typeof activityApi.deliveries>>();
    expectTypeOf(api.replayJob).returns.resolves.toEqualTypeOf<ResponseBody<typeof activityApi.replayJob>>();
    expectTypeOf(api.skipped).returns.resolves.toEqualTypeOf<ResponseBody<typeof activityApi.skipped>>();
    expectTypeOf(api.reconciliation).returns.resolves.toEqualTypeOf<ResponseBody<typeof activityApi.reconciliation>>();
    expectTypeOf(api.reconcileNow).returns.resolves.toEqualTypeOf<ResponseBody<typeof activityApi.reconcileNow>>();
    expectTypeOf(api.rules).returns.resolves.toEqualTypeOf<ResponseBody<typeof rulesApi.list>>();
    expectTypeOf(api.createRule).parameter(0).toEqualTypeOf<RequestBody<typeof rulesApi.create>>();
    expectTypeOf(api.updateRule).parameter(1).toEqualTypeOf<RequestBody<typeof rulesApi.update>>();
    expectTypeOf(api.testRuleDraft).parameter(0).toEqualTypeOf<RequestBody<typeof rulesApi.testDraft>>();
    expectTypeOf(api.testRuleDraft).returns.resolves.toEqualTypeOf<ResponseBody<typeof rulesApi.testDraft>>();
    expectTypeOf(api.importRules).parameter(0).toEqualTypeOf<RequestBody<typeof rulesApi.import>>();
    expectTypeOf(api.importRules).returns.resolves.toEqualTypeOf<ResponseBody<typeof rulesApi.import>>();
    expectTypeOf(api.exportRules).returns.resolves.toEqualTypeOf<ResponseBody<typeof rulesApi.export>>();
    expectTypeOf(api.ruleTeamCatalog).returns.resolves.toEqualTypeOf<ResponseBody<typeof rulesApi.teamCatalog>>();
  });

  describe('the web client', () => {
    afterEach(() => vi.unstubAllGlobals());

    /** One call of every client function (the compiler insists none is left out). */
    const calls: { [K in keyof typeof api]: () => Promise<unknown> } = {
      meta: () => api.meta(),
      setup: () => api.setup({ organisationName: 'Acme', name: 'Ada', email: 'ada@acme.test', password: 'a long enough password' }),
      session: () => api.session(),
      logIn: () => api.logIn({ email: 'ada@acme.test', password: 'secret' }),
      logOut: () => api.logOut(),
      users: () => api.users(),
      createUser: () => api.createUser({ email: 'vic@acme.test', name: 'Vic', password: 'a long enough password', role: 'viewer' }),
      updateUser: () => api.updateUser('usr_1', { role: 'admin' }),
      deactivateUser: () => api.deactivateUser('usr_1'),
      reactivateUser: () => api.reactivateUser('usr_1'),
      removeUser: () => api.removeUser('usr_1'),
      endUserSessions: () => api.endUserSessions('usr_1'),
      resetUserPassword: () => api.resetUserPassword('usr_1'),
      changePassword: () => api.changePassword({ currentPassword: 'old', newPassword: 'a long enough password' }),
      organisation: () => api.organisation(),
      updateOrganisation: () => api.updateOrganisation({ name: 'Acme' }),
      connections: () => api.connections(),
      authorizeConnection: () => api.authorizeConnection('linear'),
      connectAttempt: () => api.connectAttempt('att_1'),
      disconnect: () => api.disconnect('pagerduty'),
      pagerdutyServices: () => api.pagerdutyServices(),
      linearTeams: () => api.linearTeams(),
      webhooks: () => api.webhooks(),
      refreshWebhooks: () => api.refreshWebhooks(),
      createLinearWebhook: () => api.createLinearWebhook({ teamId: 'team_1' }),
      deleteLinearWebhook: () => api.deleteLinearWebhook('whk_1'),
      enablePagerDutySubscription: () => api.enablePagerDutySubscription('whk_1'),
      deliveries: () => api.deliveries({ provider: 'linear', outcome: 'failed', cursor: 'abc', limit: 10 }),
      jobs: () => api.jobs({ status: 'dead', kind: 'webhook.process_delivery', limit: 5 }),
      skipped: () => api.skipped({ rule: 'rul_1', cursor: 'abc', limit: 10 }),
      replayJob: () => api.replayJob('job_1'),
      pageSkipped: () => api.pageSkipped('skp_1'),
      reconciliation: () => api.reconciliation({ cursor: 'abc', limit: 10 }),
      reconcileNow: () => api.reconcileNow(),
      links: () => api.links({ q: 'ENG-12', status: 'failed', rule: 'rul_1', cursor: 'abc', limit: 10 }),
      link: () => api.link('lnk_1'),
      resyncLink: () => api.resyncLink('lnk_1'),
      rules: () => api.rules(),
      rule: () => api.rule('rul_1'),
      createRule: () => api.createRule(RULE_FORM),
      updateRule: () => api.updateRule('rul_1', { ...RULE_FORM, version: 3 }),
      removeRule: () => api.removeRule('rul_1'),
      reorderRules: () => api.reorderRules(['rul_2', 'rul_1']),
      enableRule: () => api.enableRule('rul_1'),
      disableRule: () => api.disableRule('rul_1'),
      resumeRule: () => api.resumeRule('rul_1'),
      testRuleDraft: () => api.testRuleDraft({ ...RULE_FORM, ruleId: 'rul_1' }),
      testRule: () => api.testRule('rul_1'),
      exportRules: () => api.exportRules(),
      importRules: () => api.importRules({ document: { format: 'integration-hub/rules', version: 1, rules: [] }, apply: false }),
      ruleTeamCatalog: () => api.ruleTeamCatalog('team_1'),
      rulePagerDutyCatalog: () => api.rulePagerDutyCatalog(),
    };

    it.each(Object.entries(calls))('%s calls a declared endpoint with input the contract accepts', async (_name, call) => {
      const fetchMock = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => new Response('{}', { status: 200 }));
      vi.stubGlobal('fetch', fetchMock);
      await call();
      const [input, init] = fetchMock.mock.calls[0] ?? [];
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : (input?.url ?? ''), 'http://hub.invalid');
      const endpoint = endpointFor(init?.method ?? 'GET', url.pathname);
      expect(endpoint, `${init?.method} ${url.pathname}`).toBeDefined();
      expect(endpoint!.query.safeParse(Object.fromEntries(url.searchParams)).success).toBe(true);
      if (endpoint!.body !== undefined) {
        const sent: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
        expect(endpoint!.body.safeParse(sent).success).toBe(true);
      }
    });
  });
});

describe.each(testDialects())('routes validate with the contract on %s', (dialect) => {
  let hub: TestHub;
  let admin: HubClient;
  beforeAll(async () => {
    hub = await startTestHub(dialect);
    admin = client(hub);
    await setupFirstAdmin(admin);
  });
  afterAll(async () => hub?.close());

  it('registers every declared endpoint', () => {
    const missing = ENDPOINTS.filter((endpoint) => !hub.hub.app.hasRoute({ method: endpoint.method, url: endpoint.path }));
    expect(missing.map((endpoint) => `${endpoint.method} ${endpoint.path}`)).toEqual([]);
  });

  it.each(ENDPOINTS.map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint] as const))(
    '%s refuses a query parameter the contract refuses (400 invalid_query)',
    async (_name, endpoint) => {
      expect(endpoint.query.safeParse({ unexpected: '1' }).success).toBe(false);
      const response = await admin.request(endpoint.method, `${fill(endpoint)}?unexpected=1`);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_query');
    },
  );

  const withBody = ENDPOINTS.filter((endpoint) => endpoint.body !== undefined);
  it.each(withBody.map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint] as const))(
    '%s refuses a body the contract refuses (400 invalid_body)',
    async (_name, endpoint) => {
      const body = { unexpected: 1 };
      expect(endpoint.body!.safeParse(body).success).toBe(false);
      const response = await admin.request(endpoint.method, fill(endpoint), { body });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_body');
      expect(JSON.stringify(response.body.error.details)).toContain('unexpected');
    },
  );

  const withParams = ENDPOINTS.filter((endpoint) => endpoint.params !== undefined);
  it.each(withParams.map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint] as const))(
    '%s refuses path parameters the contract refuses (400 invalid_params)',
    async (_name, endpoint) => {
      const value = 'x'.repeat(65);
      const params = Object.fromEntries((endpoint.path.match(/:([a-z]+)/gi) ?? []).map((name) => [name.slice(1), value]));
      expect(endpoint.params!.safeParse(params).success).toBe(false);
      const response = await admin.request(endpoint.method, fill(endpoint, value));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_params');
    },
  );
});
