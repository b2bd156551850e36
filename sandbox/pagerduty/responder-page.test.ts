import http from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startReceiver, startSandbox, type Receiver, type RunningSandbox } from './testing.js';

let sb: RunningSandbox;
let rx: Receiver;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.reset();
  rx = await startReceiver();
  const token = await sb.token();
  await sb.api('/webhook_subscriptions', {
    token,
    method: 'POST',
    body: { webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url: rx.url }, events: ['incident.triggered', 'incident.acknowledged', 'incident.resolved', 'incident.reopened', 'incident.annotated'], filter: { type: 'account_reference' } } },
  });
});
afterEach(() => rx.close());

const form = (path: string, fields: Record<string, string>) =>
  fetch(`${sb.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
const events = () => rx.received.map((r) => JSON.parse(r.body).event as { event_type: string; agent: { id: string } | null; client: { name: string } | null });

describe('PagerDuty responder page', () => {
  it('renders an account and user picker, with a strict CSP and no inline script or style', async () => {
    const res = await fetch(`${sb.url}/?account=globex`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await res.text();
    expect(page).toContain('Globex Corporation');
    expect(page).toContain('Gina Admin (Admin)');
    expect(page).not.toMatch(/<script|style=|onclick|onsubmit/i);
    const css = await fetch(`${sb.url}/static/pagerduty.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('triggers, acknowledges, notes, resolves and reopens through forms, with the human as agent', async () => {
    const base = { account: 'acme', as: 'PUSR003' };
    const created = await form('/_sandbox/ui/incidents', { ...base, service: 'PSVC002', title: 'Disk full', urgency: '' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toMatch(/^\/\?account=acme&as=PUSR003&notice=Triggered/);
    const [incident] = sb.state.incidentsOf('acme');
    expect(incident).toMatchObject({ title: 'Disk full', urgency: 'low', status: 'triggered' });
    const page = await (await fetch(`${sb.url}/?account=acme&as=PUSR003`)).text();
    for (const label of ['Disk full', '>Acknowledge<', '>Resolve<', '>Add note<']) expect(page).toContain(label);
    await form(`/_sandbox/ui/incidents/${incident!.id}/acknowledge`, base);
    await form(`/_sandbox/ui/incidents/${incident!.id}/notes`, { ...base, content: 'Looking into it' });
    await form(`/_sandbox/ui/incidents/${incident!.id}/resolve`, base);
    expect(await (await fetch(`${sb.url}/?account=acme`)).text()).toContain('>Reopen<');
    await form(`/_sandbox/ui/incidents/${incident!.id}/reopen`, base);
    await eventually(() => rx.received.length === 5);
    expect(events().map((e) => e.event_type)).toEqual(['incident.triggered', 'incident.acknowledged', 'incident.annotated', 'incident.resolved', 'incident.reopened']);
    expect(events().every((e) => e.agent?.id === 'PUSR003' && e.client?.name === 'PagerDuty')).toBe(true);
    expect(incident!.notes[0]).toMatchObject({ content: 'Looking into it', userId: 'PUSR003' });
  });

  it('shows refused actions as an error message instead of failing', async () => {
    await form('/_sandbox/ui/incidents', { account: 'acme', as: 'PUSR001', service: 'PSVC001', title: 'x' });
    const id = sb.state.incidentsOf('acme')[0]!.id;
    await form(`/_sandbox/ui/incidents/${id}/resolve`, { account: 'acme', as: 'PUSR001' });
    const again = await form(`/_sandbox/ui/incidents/${id}/resolve`, { account: 'acme', as: 'PUSR001' });
    const location = again.headers.get('location')!;
    expect(new URLSearchParams(location.split('?')[1]!.split('#')[0]).get('error')).toContain('Incident Already Resolved');
    const stranger = await form(`/_sandbox/ui/incidents/${id}/reopen`, { account: 'acme', as: 'PUSR101' });
    expect(stranger.headers.get('location')).toContain('error=');
  });

  it('sends html_url hosts (acme.localhost) to the page', async () => {
    // fetch cannot set Host; node:http can (a browser would resolve acme.localhost to loopback).
    const port = new URL(sb.url).port;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port, path: '/incidents/PI00001', headers: { host: `acme.localhost:${port}` } }, resolve).on('error', reject),
    );
    res.resume();
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${sb.url}/?account=acme#incident-PI00001`);
  });
});
