import { afterAll, beforeAll, expect, test } from 'vitest';
import { client, setupFirstAdmin, type HubClient } from '../helpers/client.js';
import { connectProvider, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';

const METRICS_TOKEN = 'webhook-metrics-scrape-token-0123456789abcdef';

/** What an operator scrapes: deliveries by outcome, queue depth, job runs and latency. */
let env: HubWithSandbox;
let admin: HubClient;
beforeAll(async () => {
  env = await startHubWithSandbox('sqlite', { CONNECTION_CHECK_INTERVAL_SECONDS: '0', METRICS_TOKEN });
  admin = client(env.hub);
  await setupFirstAdmin(admin);
  await connectProvider(admin, 'pagerduty');
  await connectProvider(admin, 'linear');
});
afterAll(async () => env?.close());

async function metric(name: string, labels: string): Promise<number | undefined> {
  const text = await (await fetch(`${env.hub.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(labels));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

test('/metrics counts accepted and refused deliveries, job runs, latency and queue depth', async () => {
  const listed = await admin.get('/api/webhooks');
  const engineering = listed.body.linear.teams.find((row: { team: { key: string } }) => row.team.key === 'ENG').team;
  const created = await admin.post('/api/webhooks/linear', { teamId: engineering.id });
  expect(created.status).toBe(201);

  // A forged delivery, then a real one from the stand-in.
  const forged = await fetch(created.body.webhook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'linear-signature': '0'.repeat(64), 'linear-delivery': 'forged-1' },
    body: JSON.stringify({ type: 'Issue', action: 'create', data: { id: 'x' }, webhookTimestamp: Date.now() }),
  });
  expect(forged.status).toBe(401);
  const form = new URLSearchParams({ teamId: engineering.id, title: 'Metrics please' });
  await fetch(`${env.sandbox.linearUrl}/_sandbox/ui/issues`, { method: 'POST', body: form, redirect: 'manual' });

  for (const deadline = Date.now() + 5000; (await metric('hub_job_runs_total', 'outcome="succeeded"')) === undefined; ) {
    if (Date.now() > deadline) throw new Error('no job ran');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await metric('hub_webhook_deliveries_total', 'provider="linear",outcome="accepted"')).toBe(1);
  expect(await metric('hub_webhook_deliveries_total', 'provider="linear",outcome="signature_invalid"')).toBe(1);
  expect(await metric('hub_job_runs_total', 'kind="webhook.process_delivery",outcome="succeeded"')).toBe(1);
  expect(await metric('hub_job_latency_seconds_count', 'kind="webhook.process_delivery"')).toBe(1);
  expect(await metric('hub_queue_jobs', 'status="queued"')).toBe(0);
  expect(await metric('hub_queue_jobs', 'status="dead"')).toBe(0);
});
