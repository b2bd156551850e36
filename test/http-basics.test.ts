import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

describe.each(testDialects())('HTTP basics on %s', (dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(dialect);
  });
  afterAll(async () => hub?.close());

  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${hub.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${hub.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('answers unknown API routes with the JSON error shape and a request id', async () => {
    const response = await fetch(`${hub.url}/api/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toMatch(/.+/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toContain('/api/nope');
  });

  it('sets security headers on every response', async () => {
    const response = await fetch(`${hub.url}/healthz`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('exposes Prometheus metrics including HTTP requests', async () => {
    await fetch(`${hub.url}/healthz`);
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    expect(text).toMatch(/hub_http_requests_total\{method="GET",route="\/healthz",status_code="200"\} \d+/);
    expect(text).toContain('hub_http_request_duration_seconds_bucket');
    expect(text).toContain('hub_process_resident_memory_bytes');
  });
});
