import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './helpers/databases.js';
import { freePort, startTestHub, type TestHub } from './helpers/hub.js';

const METRICS_TOKEN = 'http-basics-metrics-token-0123456789abcdef';

describe.each(testDialects())('HTTP basics on %s', (dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(dialect, { METRICS_TOKEN });
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
    const text = await (await fetch(`${hub.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(text).toMatch(/hub_http_requests_total\{method="GET",route="\/healthz",status_code="200"\} \d+/);
    expect(text).toContain('hub_http_request_duration_seconds_bucket');
    expect(text).toContain('hub_process_resident_memory_bytes');
  });

  it('counts the requests in flight (the queue worker lets them go first when saturated), an abandoned one released', async () => {
    const inFlight = async () => {
      const text = await (await fetch(`${hub.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      return Number(/^hub_http_requests_in_flight (\d+)$/m.exec(text)?.[1]);
    };
    expect(await inFlight()).toBe(1); // the scrape itself
    // A request whose body has not all arrived yet is in flight.
    const held = httpRequest(`${hub.url}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '100' } });
    held.on('error', () => undefined);
    held.write('{"email":');
    for (let tries = 0; (await inFlight()) !== 2; tries++) {
      if (tries > 100) throw new Error('the held request was never counted');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    held.destroy();
    for (let tries = 0; (await inFlight()) !== 1; tries++) {
      if (tries > 100) throw new Error('the abandoned request was never released');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });

  it('answers a malformed URL in the one error shape, without echoing it', async () => {
    for (const path of ['/api/users/%ff', '/api/users/%E0%A4%A']) {
      const response = await fetch(`${hub.url}${path}`);
      expect(response.status, path).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text), path).toEqual({ error: { code: 'bad_url', message: expect.any(String) } });
      expect(text).not.toContain('%');
      expect(text).not.toContain('FST_');
      expect(response.headers.get('x-request-id')).toMatch(/.+/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves the web app to page requests without Accept: text/html (curl), JSON 404s on server paths', async () => {
    for (const headers of [{}, { accept: '*/*' }, { accept: 'text/html,application/xhtml+xml' }]) {
      const page = await rawGet(`${hub.url}/`, headers);
      expect(page.status, JSON.stringify(headers)).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('<html');
      expect((await rawGet(`${hub.url}/users/usr_1`, headers)).status).toBe(200);
    }
    for (const path of ['/api/nope', '/webhooks/linear/whk_x', '/oauth/nope', '/metricsx', '/%61pi/nope']) {
      const response = await rawGet(`${hub.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(JSON.parse(response.text).error.code, path).toBe('not_found');
    }
    const json = await rawGet(`${hub.url}/`, { accept: 'application/json' });
    expect(json.status).toBe(404);
    expect(JSON.parse(json.text).error.code).toBe('not_found');
  });

  it('tags every log line written while serving a request with its request id', async () => {
    const marker = `log-correlation-${Date.now()}`;
    const before = hub.logs.lines.length;
    const responses = [
      await fetch(`${hub.url}/api/${marker}`),
      await fetch(`${hub.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'x-marker': marker },
        body: '{}',
      }),
      await fetch(`${hub.url}/api/users/%ff${marker}`),
    ];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = hub.logs.lines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const response of responses) {
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/.+/);
      const own = lines.filter((line) => line.requestId === id);
      // At least "incoming request" and "request completed"; more when the request logs (CSRF refusal).
      expect(own.length).toBeGreaterThanOrEqual(2);
    }
    // No line was written without one while these requests were served.
    expect(lines.filter((line) => line.requestId === undefined)).toEqual([]);
    expect(lines.some((line) => line.msg === 'CSRF check failed')).toBe(true);
  });
});

/** A request with exactly these headers (fetch always adds Accept and forbids setting Host). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'GET', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('request ids', () => {
  it('ignores an incoming X-Request-Id unless TRUST_PROXY is true', async () => {
    const direct = await startTestHub('sqlite');
    const proxied = await startTestHub('sqlite', { TRUST_PROXY: 'true' });
    try {
      const chosen = 'client-chosen-id-123';
      const fromClient = await fetch(`${direct.url}/healthz`, { headers: { 'x-request-id': chosen } });
      expect(fromClient.headers.get('x-request-id')).not.toBe(chosen);
      expect(fromClient.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(direct.logs.text).not.toContain(chosen);
      const fromProxy = await fetch(`${proxied.url}/healthz`, { headers: { 'x-request-id': chosen } });
      expect(fromProxy.headers.get('x-request-id')).toBe(chosen);
      const insane = await fetch(`${proxied.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
      expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});

describe('PUBLIC_URL on localhost, opened by a loopback IP', () => {
  let hub: TestHub;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    hub = await startTestHub('sqlite', { PORT: String(port), PUBLIC_URL: `http://localhost:${port}` });
  });
  afterAll(async () => hub?.close());

  it('redirects page requests on 127.0.0.1 or [::1] to the same path on PUBLIC_URL', async () => {
    for (const host of [`127.0.0.1:${port}`, `[::1]:${port}`]) {
      const response = await rawGet(`http://127.0.0.1:${port}/setup?step=1`, { host, accept: 'text/html' });
      expect(response.status, host).toBe(302);
      expect(response.headers.location, host).toBe(`http://localhost:${port}/setup?step=1`);
    }
    // A path that looks like another origin stays a path on PUBLIC_URL.
    const tricky = await rawGet(`http://127.0.0.1:${port}//evil.example/x`, { host: `127.0.0.1:${port}`, accept: 'text/html' });
    expect(tricky.headers.location).toBe(`http://localhost:${port}//evil.example/x`);
  });

  it('does not redirect PUBLIC_URL itself, other hosts or ports, or server paths', async () => {
    const onPublicUrl = await rawGet(`http://127.0.0.1:${port}/setup`, { host: `localhost:${port}`, accept: 'text/html' });
    expect(onPublicUrl.status).toBe(200);
    expect(onPublicUrl.text).toContain('<html');
    // A reverse proxy that rewrites Host (to anything but a loopback IP on our port) never loops.
    for (const host of ['hub.internal', `hub.internal:${port}`, '127.0.0.1:8080', '127.0.0.1', `10.0.0.5:${port}`]) {
      const response = await rawGet(`http://127.0.0.1:${port}/setup`, { host, accept: 'text/html' });
      expect(response.status, host).toBe(200);
    }
    const api = await rawGet(`http://127.0.0.1:${port}/api/meta`, { host: `127.0.0.1:${port}` });
    expect(api.status).toBe(200);
    const health = await rawGet(`http://127.0.0.1:${port}/healthz`, { host: `127.0.0.1:${port}` });
    expect(health.status).toBe(200);
  });
});
