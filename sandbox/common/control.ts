import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxClock } from './clock.js';
import { faultsBodySchema, type FaultPlan } from './faults.js';
import type { RequestLog } from './request-log.js';
import { parseOr400 } from './validation.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

export interface CommonControlDeps {
  clock: SandboxClock;
  faults: FaultPlan;
  requests: RequestLog;
  dispatcher: WebhookDispatcher;
  /** Back to the seed: the vendor clears its state, tokens, requests, deliveries, faults and clock. */
  reset(): void | Promise<void>;
}

const clockBody = z.strictObject({ advanceMs: z.number().int().min(0).max(10 * 365 * 24 * 3600 * 1000) });
const requestsQuery = z.strictObject({
  method: z.string().optional(),
  pathPrefix: z.string().optional(),
  since: z.coerce.number().optional(),
});
const deliveriesQuery = z.strictObject({
  subscriptionId: z.string().optional(),
  eventType: z.string().optional(),
  /** Wait up to this many ms for the dispatcher to go idle before answering. */
  waitIdleMs: z.coerce.number().int().min(0).max(60_000).optional(),
});

/**
 * The control routes both stand-ins share (they exist only in the sandbox):
 *   POST /_sandbox/reset                 → {ok:true}
 *   GET|POST /_sandbox/clock {advanceMs} → {now, iso, offsetMs}
 *   GET|POST|DELETE /_sandbox/faults     → {api, deliveries} still queued
 *   GET /_sandbox/requests?method&pathPrefix&since → {requests}
 *   GET /_sandbox/deliveries?subscriptionId&eventType&waitIdleMs → {deliveries}
 * Bad input → 400 in the hub's shape {"error":{"code":"invalid_body",…,"details"}}.
 */
export function registerCommonControl(app: FastifyInstance, deps: CommonControlDeps): void {
  const clockState = () => {
    const now = deps.clock.now();
    return { now, iso: new Date(now).toISOString(), offsetMs: deps.clock.offset() };
  };

  app.post('/_sandbox/reset', async () => {
    await deps.reset();
    return { ok: true };
  });

  app.get('/_sandbox/clock', async () => clockState());
  app.post('/_sandbox/clock', async (request, reply) => {
    const body = parseOr400(clockBody, request.body, 'body', reply);
    if (!body) return reply;
    deps.clock.advance(body.advanceMs);
    return clockState();
  });

  app.get('/_sandbox/faults', async () => deps.faults.list());
  app.delete('/_sandbox/faults', async () => {
    deps.faults.reset();
    return deps.faults.list();
  });
  app.post('/_sandbox/faults', async (request, reply) => {
    const body = parseOr400(faultsBodySchema, request.body, 'body', reply);
    if (!body) return reply;
    for (const f of body.api ?? []) deps.faults.addApiFault(stripUndefined(f));
    for (const f of body.deliveries ?? []) deps.faults.addDeliveryFault(stripUndefined(f));
    return deps.faults.list();
  });

  app.get('/_sandbox/requests', async (request, reply) => {
    const q = parseOr400(requestsQuery, request.query, 'query', reply);
    if (!q) return reply;
    const requests = deps.requests
      .list()
      .filter((r) => q.method === undefined || r.method.toUpperCase() === q.method.toUpperCase())
      .filter((r) => q.pathPrefix === undefined || r.path.startsWith(q.pathPrefix))
      .filter((r) => q.since === undefined || r.at >= q.since);
    return { requests };
  });

  app.get('/_sandbox/deliveries', async (request, reply) => {
    const q = parseOr400(deliveriesQuery, request.query, 'query', reply);
    if (!q) return reply;
    if (q.waitIdleMs !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([deps.dispatcher.idle(), new Promise((r) => (timer = setTimeout(r, q.waitIdleMs)))]);
      clearTimeout(timer);
    }
    const deliveries = deps.dispatcher
      .attempts()
      .filter((a) => q.subscriptionId === undefined || a.subscriptionId === q.subscriptionId)
      .filter((a) => q.eventType === undefined || a.eventType === q.eventType);
    return { deliveries };
  });
}

/** zod's optional keys come back as `key: undefined`; exactOptionalPropertyTypes wants them absent. */
function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
