// The load generator: 2 KB signed Linear Issue deliveries, each with a fresh delivery id and a
// fresh issue id, over node:http keep-alive connections (no dependency). Two shapes:
// closed loop (N connections, each sends its next request when the last is answered) and open
// loop (a fixed offered rate; latency counts from when each request was due, so a server that
// falls behind is charged for the queueing it causes — no coordinated omission).
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';

const PADDING = 'x'.repeat(4096);

/** One Linear `Issue` create delivery of about `bytes` bytes, signed with `target.secret`. */
export function linearDelivery(target, bytes = 2048) {
  const id = randomUUID();
  const payload = {
    action: 'create',
    type: 'Issue',
    createdAt: new Date().toISOString(),
    actor: { id: '5f8e1c2a-0000-4000-8000-000000000001', name: 'Ada Admin', type: 'user' },
    data: {
      id,
      identifier: 'ENG-999',
      number: 999,
      title: 'Checkout returns 502 under load',
      priority: 2,
      teamId: target.teamId,
      team: { id: target.teamId, key: 'ENG', name: 'Engineering' },
      state: { id: 'b1f2c3d4-0000-4000-8000-000000000002', name: 'Todo', type: 'unstarted' },
      description: '',
    },
    url: `https://linear.app/acme/issue/ENG-999/${id}`,
    organizationId: target.workspaceId,
    webhookId: randomUUID(),
    webhookTimestamp: Date.now(),
  };
  const bare = Buffer.byteLength(JSON.stringify(payload));
  payload.data.description = PADDING.slice(0, Math.max(0, bytes - bare));
  const body = Buffer.from(JSON.stringify(payload));
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(body.length),
      'linear-delivery': randomUUID(),
      'linear-event': 'Issue',
      'linear-signature': createHmac('sha256', target.secret).update(body).digest('hex'),
    },
  };
}

function send(agent, target, timeoutMs) {
  const { body, headers } = linearDelivery(target);
  return new Promise((resolve) => {
    const request = http.request(`${target.url}${target.path}`, { method: 'POST', agent, headers, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve(-1));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(-1));
    request.end(body);
  });
}

const newAgent = (connections) => new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarise(latencies, ok, failed, elapsedMs, extra = {}) {
  const sorted = Float64Array.from(latencies).sort();
  const round = (value) => (value === null ? null : Math.round(value * 100) / 100);
  return {
    ok,
    failed,
    elapsedMs: Math.round(elapsedMs),
    throughput: Math.round((ok / elapsedMs) * 1000),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null),
    ...extra,
  };
}

/** N connections, each sending back to back for `durationMs`. Throughput counts 2xx answers. */
export async function closedLoop(target, { connections, durationMs }) {
  const agent = newAgent(connections);
  const latencies = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  const statuses = {};
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      const status = await send(agent, target, 30_000);
      latencies.push(performance.now() - sent);
      if (status >= 200 && status < 300) ok += 1;
      else {
        failed += 1;
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }
  }));
  const elapsed = performance.now() - start;
  agent.destroy();
  return summarise(latencies, ok, failed, elapsed, failed > 0 ? { statuses } : {});
}

/**
 * `rate` requests per second for `durationMs`, over at most `connections` sockets (requests
 * beyond wait for one, their wait counted). After the window, outstanding requests get
 * `drainMs` to finish; `unanswered` counts the rest. `achieved` is 2xx answers per second over
 * the time from the first request to the last answer.
 */
export async function openLoop(target, { rate, connections, durationMs, drainMs = 10_000 }) {
  const agent = newAgent(connections);
  const latencies = [];
  const pending = new Set();
  let ok = 0;
  let failed = 0;
  let sent = 0;
  let lastAnswer = 0;
  const start = performance.now();
  const total = Math.round((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - start) / interval) + 1);
    for (; sent < due; sent += 1) {
      const dueAt = start + sent * interval;
      const request = send(agent, target, durationMs + drainMs).then((status) => {
        lastAnswer = performance.now();
        latencies.push(lastAnswer - dueAt);
        if (status >= 200 && status < 300) ok += 1;
        else failed += 1;
        pending.delete(request);
      });
      pending.add(request);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const drained = await Promise.race([
    Promise.all([...pending]).then(() => true),
    new Promise((resolve) => setTimeout(resolve, drainMs, false)),
  ]);
  const unanswered = drained ? 0 : pending.size;
  agent.destroy();
  const elapsed = Math.max(durationMs, lastAnswer - start);
  const summary = summarise(latencies, ok, failed, elapsed, { offered: rate, unanswered });
  return { ...summary, achieved: summary.throughput };
}
