import { createHmac, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { SEED_IDS } from '../../sandbox/linear/seed.js';
import type { Clock } from '../../src/core/clock.js';
import type { Dialect } from '../../src/db/database.js';
import type { DeliveriesResponse, DeliveryView, JobsResponse, JobView, LinearWebhookView, WebhooksResponse } from '../../src/api/index.js';
import type { Endpoint } from '../../src/webhooks/endpoints-repository.js';
import type { HubClient } from '../helpers/client.js';
import { connectProvider, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import type { TestHub } from '../helpers/hub.js';
import { firstOrganisation, type OrganisationAdmin } from '../connections/fixture.js';

/** Shared set-up and hand-signing helpers of the webhook suites (test/webhooks/*.test.ts). */

export const ENG_TEAM = SEED_IDS.acme.teams.ENG;
export const SUP_TEAM = SEED_IDS.acme.teams.SUP;
export const ACME_WORKSPACE = SEED_IDS.acme.organization;
export const GLOBEX_WORKSPACE = SEED_IDS.globex.organization;
export const CHECKOUT = { id: 'PSVC001', name: 'Checkout API' };
export const PROCESS_DELIVERY_KIND = 'webhook.process_delivery';
/** The stand-ins' fixed credentials (docs/sandbox.md § Seed). */
export const PD_API_KEY = 'acme_sandbox_api_key_0001';
export const LINEAR_ADMIN_KEY = 'lin_api_sandbox_acme_admin';

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface ConnectedHub extends HubWithSandbox {
  org: OrganisationAdmin;
}

/** A hub over the stand-ins with the first organisation's admin and PagerDuty (and, unless told, Linear) connected. */
export async function startConnectedHub(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: { linear?: boolean; clock?: Clock; sandboxRetryScheduleMs?: number[] } = {},
): Promise<ConnectedHub> {
  const started = await startHubWithSandbox(dialect, env, {
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.sandboxRetryScheduleMs !== undefined ? { sandboxRetryScheduleMs: options.sandboxRetryScheduleMs } : {}),
  });
  try {
    const org = await firstOrganisation(started.hub);
    for (const provider of options.linear === false ? (['pagerduty'] as const) : (['pagerduty', 'linear'] as const)) {
      const { attempt } = await connectProvider(org.admin, provider);
      if (attempt?.outcome !== 'succeeded') throw new Error(`connecting ${provider} failed: ${JSON.stringify(attempt)}`);
    }
    return { ...started, org };
  } catch (error) {
    await started.close();
    throw error;
  }
}

export async function createTeamWebhook(admin: HubClient, teamId = ENG_TEAM): Promise<LinearWebhookView> {
  const response = await admin.post<{ webhook: LinearWebhookView }>('/api/webhooks/linear', { teamId });
  if (response.status !== 201) throw new Error(`creating the team webhook answered ${response.status}: ${response.text}`);
  return response.body.webhook;
}

/** Ensures a subscription the way rules do (WebhooksService.ensureEndpoint); throws if it cannot. */
export async function ensureSubscription(hub: TestHub, organisationId: string, service = CHECKOUT): Promise<Endpoint> {
  const ensured = await hub.hub.deps.webhooks.ensureEndpoint(organisationId, 'pagerduty', service);
  if (!ensured.ok) throw new Error(`ensuring the subscription of ${service.name} failed: ${ensured.code}`);
  return ensured.value;
}

export function ensureCheckoutSubscription(env: ConnectedHub): Promise<Endpoint> {
  return ensureSubscription(env.hub, env.org.organisationId);
}

/** The endpoint's signing secret, read from the vault as the intake reads it. */
export async function signingSecret(hub: TestHub, organisationId: string, endpointId: string): Promise<string | undefined> {
  return hub.hub.deps.vault.get(hub.database.db, { organisationId, ownerTable: 'webhook_endpoints', ownerId: endpointId, field: 'signing_secret' });
}

export const hmacHex = (secret: string, body: string | Buffer) => createHmac('sha256', secret).update(body).digest('hex');

/** A Linear data-change payload (Issue.create unless told otherwise), timestamped now. */
export function linearPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = randomUUID();
  return {
    action: 'create',
    type: 'Issue',
    createdAt: new Date().toISOString(),
    data: { id, identifier: 'ENG-99', number: 99, title: 'Hand-made issue', teamId: ENG_TEAM, team: { id: ENG_TEAM, key: 'ENG', name: 'Engineering' } },
    url: `http://linear.test/acme/issue/ENG-99/${id}`,
    organizationId: ACME_WORKSPACE,
    webhookId: randomUUID(),
    webhookTimestamp: Date.now(),
    ...overrides,
  };
}

/** A PagerDuty v3 envelope for an incident of PSVC001. */
export function pagerdutyPayload(overrides: { eventType?: string; incidentId?: string; eventId?: string } = {}): Record<string, unknown> {
  const incidentId = overrides.incidentId ?? `PHAND${randomUUID().slice(0, 6).toUpperCase()}`;
  return {
    event: {
      id: overrides.eventId ?? randomUUID(),
      event_type: overrides.eventType ?? 'incident.triggered',
      resource_type: 'incident',
      occurred_at: new Date().toISOString(),
      agent: null,
      client: null,
      data: { id: incidentId, type: 'incident', number: 7, title: 'Checkout is slow', service: { id: CHECKOUT.id, type: 'service_reference' } },
    },
  };
}

export interface IntakeAnswer {
  status: number;
  body: any;
  text: string;
}

/** POSTs raw bytes to the intake like a provider does (no cookies, no Origin). */
export async function postIntake(
  hub: Pick<TestHub, 'url'>,
  path: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<IntakeAnswer> {
  const response = await fetch(`${hub.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await response.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}

/** A correctly signed Linear delivery to `endpointId` (the body as given, or the payload JSON-encoded). */
export function sendLinear(
  hub: Pick<TestHub, 'url'>,
  endpointId: string,
  secret: string,
  payload: Record<string, unknown> | string,
  options: { deliveryId?: string; headers?: Record<string, string | undefined> } = {},
): Promise<IntakeAnswer> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Linear-Webhook',
    'linear-delivery': options.deliveryId ?? randomUUID(),
    'linear-event': 'Issue',
    'linear-signature': hmacHex(secret, body),
    ...options.headers,
  };
  return postIntake(hub, `/webhooks/linear/${endpointId}`, body, definedOnly(headers));
}

/** A correctly signed PagerDuty delivery to `endpointId`. */
export function sendPagerDuty(
  hub: Pick<TestHub, 'url'>,
  endpointId: string,
  secret: string,
  payload: Record<string, unknown> | string,
  options: { webhookId?: string; headers?: Record<string, string | undefined> } = {},
): Promise<IntakeAnswer> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/json',
    'user-agent': 'PagerDuty-Webhook/V3.0',
    'x-webhook-id': options.webhookId ?? randomUUID(),
    'x-webhook-subscription': 'PWH0001',
    'x-pagerduty-signature': `v1=${hmacHex(secret, body)}`,
    ...options.headers,
  };
  return postIntake(hub, `/webhooks/pagerduty/${endpointId}`, body, definedOnly(headers));
}

function definedOnly(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Every delivery the client's organisation can see (all pages). */
export async function allDeliveries(c: HubClient, query = ''): Promise<DeliveryView[]> {
  const found: DeliveryView[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', '100');
    if (cursor !== null) params.set('cursor', cursor);
    const page = await c.get<DeliveriesResponse>(`/api/activity/deliveries?${params}`);
    expect(page.status, page.text).toBe(200);
    found.push(...page.body.deliveries);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return found;
}

export async function allJobs(c: HubClient, query = ''): Promise<JobView[]> {
  const found: JobView[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', '100');
    if (cursor !== null) params.set('cursor', cursor);
    const page = await c.get<JobsResponse>(`/api/activity/jobs?${params}`);
    expect(page.status, page.text).toBe(200);
    found.push(...page.body.jobs);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return found;
}

/** Waits until the organisation lists a delivery matching `match` (and returns it). */
export function deliveryWhere(c: HubClient, what: string, match: (delivery: DeliveryView) => boolean, timeoutMs = 5_000): Promise<DeliveryView> {
  return until(what, async () => (await allDeliveries(c)).find(match), timeoutMs);
}

export async function webhooksOf(c: HubClient): Promise<WebhooksResponse> {
  const response = await c.get<WebhooksResponse>('/api/webhooks');
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** The job row as stored. */
export function jobRow(hub: TestHub, id: string) {
  return hub.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * The job once its run is recorded as finished (succeeded or dead). A delivery's outcome is
 * written by its job's run, a moment before the run's own outcome is.
 */
export function finishedJob(hub: TestHub, id: string) {
  return until(`job ${id} to finish`, async () => {
    const row = await jobRow(hub, id);
    return row.status === 'succeeded' || row.status === 'dead' ? row : undefined;
  }, 10_000);
}

/** Rows in the two tables the intake writes, for "nothing was stored" checks. */
export async function intakeRowCounts(hub: TestHub): Promise<{ deliveries: number; jobs: number }> {
  const db = hub.database.db;
  const deliveries = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  // Scheduled jobs (queue/schedules.ts) come and go on their own: the intake writes none.
  const jobs = await db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('unique_key', 'is', null).executeTakeFirstOrThrow();
  return { deliveries: Number(deliveries.n), jobs: Number(jobs.n) };
}

/** PagerDuty REST call to the stand-in with the acme API key. */
export async function pagerdutyRest<T = any>(pdUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${pdUrl}${path}`, {
    method,
    headers: {
      authorization: `Token token=${PD_API_KEY}`,
      accept: 'application/vnd.pagerduty+json;version=2',
      from: 'admin@acme.example',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** Linear GraphQL at the stand-in with the acme admin's API key. */
export async function linearGraphql<T = any>(linearUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: { data?: T; errors?: unknown[] } }> {
  const response = await fetch(`${linearUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: LINEAR_ADMIN_KEY },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** "A person triggered an incident" on the PagerDuty stand-in's responder page; the incident id. */
export async function triggerIncidentOnPage(pdUrl: string, title: string, serviceId = CHECKOUT.id): Promise<string> {
  const response = await fetch(`${pdUrl}/_sandbox/ui/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ account: 'acme', as: 'PUSR001', service: serviceId, title }).toString(),
    redirect: 'manual',
  });
  const location = response.headers.get('location') ?? '';
  const id = /#incident-(\w+)$/.exec(location)?.[1];
  if (response.status !== 303 || id === undefined) throw new Error(`triggering an incident answered ${response.status} → ${location}`);
  return id;
}

/** "A person acknowledged/resolved an incident" on the responder page. */
export async function actOnIncidentPage(pdUrl: string, incidentId: string, action: 'acknowledge' | 'resolve' | 'reopen'): Promise<void> {
  const response = await fetch(`${pdUrl}/_sandbox/ui/incidents/${incidentId}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ account: 'acme', as: 'PUSR001' }).toString(),
    redirect: 'manual',
  });
  const location = response.headers.get('location') ?? '';
  if (response.status !== 303 || location.includes('error=')) throw new Error(`${action} answered ${response.status} → ${location}`);
}

/** "A person created an issue" in the Linear stand-in (the page's route, as JSON); the issue data. */
export async function createIssueInLinear(linearUrl: string, title: string, teamId = ENG_TEAM): Promise<{ id: string; identifier: string }> {
  const response = await fetch(`${linearUrl}/_sandbox/ui/issues`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ teamId, title, as: 'ada@acme.example' }),
  });
  const body = (await response.json()) as { issue?: { id: string; identifier: string } };
  if (!response.ok || body.issue === undefined) throw new Error(`creating an issue answered ${response.status}: ${JSON.stringify(body)}`);
  return body.issue;
}
