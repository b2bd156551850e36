import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectProvider } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { createTeamWebhook, ENG_TEAM, startConnectedHub, webhooksOf, type ConnectedHub } from '../webhooks/fixture.js';
import { CHECKOUT, createRule, deleteAllRules, formOf, listRules, PAYMENTS, subscribedServices, subscriptionsSettled } from './api-fixture.js';

/**
 * PagerDuty subscriptions follow rules (issue 10 item 6), checked at the PagerDuty stand-in:
 * saving or enabling a rule ensures its service's subscription; deleting or disabling the last
 * enabled rule on a service (or moving it to another service) releases it; one shared by two
 * rules stays while either is enabled. The Webhooks tab names the rules keeping each one.
 */
describe.each(testDialects())('subscriptions follow rules on %s', (dialect) => {
  let env: ConnectedHub;
  const admin = () => env.org.admin;
  const settledServices = async () => {
    await subscriptionsSettled(env);
    return subscribedServices(env);
  };

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createTeamWebhook(admin(), ENG_TEAM);
  });
  afterAll(async () => env?.close());
  beforeEach(async () => {
    await deleteAllRules(admin());
    expect(await settledServices()).toEqual([]);
  });

  it('create → the service’s subscription exists; a second rule shares it; it goes only with the last rule', async () => {
    const first = await createRule(admin(), { name: 'First on checkout' });
    expect(await settledServices()).toEqual([CHECKOUT.id]);
    const second = await createRule(admin(), { name: 'Second on checkout' });
    expect(await settledServices()).toEqual([CHECKOUT.id]);
    const tab = await webhooksOf(admin());
    expect(tab.pagerduty.subscriptions).toEqual([
      expect.objectContaining({ serviceId: CHECKOUT.id, status: 'active', rules: [{ id: first.id, name: 'First on checkout' }, { id: second.id, name: 'Second on checkout' }] }),
    ]);
    expect((await admin().delete(`/api/rules/${first.id}`)).status).toBe(204);
    expect(await settledServices()).toEqual([CHECKOUT.id]);
    expect((await webhooksOf(admin())).pagerduty.subscriptions[0]?.rules).toEqual([{ id: second.id, name: 'Second on checkout' }]);
    expect((await admin().delete(`/api/rules/${second.id}`)).status).toBe(204);
    expect(await settledServices()).toEqual([]);
    expect((await webhooksOf(admin())).pagerduty.subscriptions).toEqual([]);
  });

  it('disable releases (the last enabled rule), enable ensures again; a disabled rule is not listed as keeping it', async () => {
    const rule = await createRule(admin(), { name: 'Toggle' });
    const disabledToo = await createRule(admin(), { name: 'Sleeping', enabled: false, routing: { serviceId: PAYMENTS.id, urgency: 'high' } });
    expect(await settledServices()).toEqual([CHECKOUT.id]);
    expect((await admin().post(`/api/rules/${rule.id}/disable`)).status).toBe(200);
    expect(await settledServices()).toEqual([]);
    expect((await admin().post(`/api/rules/${rule.id}/enable`)).status).toBe(200);
    expect(await settledServices()).toEqual([CHECKOUT.id]);
    expect((await admin().post(`/api/rules/${disabledToo.id}/enable`)).status).toBe(200);
    expect(await settledServices()).toEqual([CHECKOUT.id, PAYMENTS.id]);
  });

  it('an update moving the last rule to another service releases the old one and ensures the new one', async () => {
    const rule = await createRule(admin(), { name: 'Mover' });
    expect(await settledServices()).toEqual([CHECKOUT.id]);
    const moved = await admin().patch(`/api/rules/${rule.id}`, formOf(rule, { routing: { serviceId: PAYMENTS.id, urgency: 'low' } }));
    expect(moved.status, moved.text).toBe(200);
    expect(await settledServices()).toEqual([PAYMENTS.id]);
    expect((await webhooksOf(admin())).pagerduty.subscriptions.map((sub) => [sub.serviceId, sub.rules.map((r) => r.name)])).toEqual([[PAYMENTS.id, ['Mover']]]);
  });

  it('Disconnect deletes the subscription but the rule stays; reconnecting PagerDuty subscribes its service again', async () => {
    const rule = await createRule(admin(), { name: 'Survivor' });
    expect(await settledServices()).toEqual([CHECKOUT.id]);
    const disconnect = await admin().delete('/api/connections/pagerduty');
    expect(disconnect.status, disconnect.text).toBe(200);
    expect(await subscribedServices(env)).toEqual([]);
    expect((await listRules(admin())).rules.map((r) => r.id)).toEqual([rule.id]);
    const { attempt } = await connectProvider(admin(), 'pagerduty');
    expect(attempt?.outcome).toBe('succeeded');
    expect(await settledServices()).toEqual([CHECKOUT.id]);
    expect((await webhooksOf(admin())).pagerduty.subscriptions.map((sub) => sub.rules)).toEqual([[{ id: rule.id, name: 'Survivor' }]]);
  });

  it('saves in quick succession converge: the subscriptions match the rules once the jobs ran', async () => {
    const rules = await Promise.all(['R1', 'R2', 'R3'].map((name) => createRule(admin(), { name })));
    await Promise.all(rules.map((rule) => admin().post(`/api/rules/${rule.id}/disable`)));
    await admin().post(`/api/rules/${rules[1]!.id}/enable`);
    expect(await settledServices()).toEqual([CHECKOUT.id]);
    await Promise.all(rules.map((rule) => admin().delete(`/api/rules/${rule.id}`)));
    expect(await settledServices()).toEqual([]);
  });
});
