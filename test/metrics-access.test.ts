import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config/index.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * /metrics counts across organisations (failed log-ins included), so it is not public
 * (issue 14, item 9): without METRICS_TOKEN it is not served; with it, only a scrape that
 * presents the token as a bearer token gets the exposition. The token is never logged.
 */
const TOKEN = 'canary-metrics-token-7f3a91c2e5b04d68a1e2f3c4';
const WRONG = 'canary-wrong-metrics-token-0b9e8d7c6a5f4e3d2c1b';

const scrape = (hub: TestHub, authorization?: string) =>
  fetch(`${hub.url}/metrics`, authorization === undefined ? {} : { headers: { authorization } });

describe.each(testDialects())('/metrics access on %s', (dialect) => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('is not served without METRICS_TOKEN (404), even to a request that presents a token', async () => {
    hub = await startTestHub(dialect);
    for (const authorization of [undefined, `Bearer ${TOKEN}`]) {
      const response = await scrape(hub, authorization);
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      expect(text).not.toContain('hub_');
    }
  });

  it('answers 401 without the right bearer token and 200 with it; the token never reaches the log', async () => {
    hub = await startTestHub(dialect, { METRICS_TOKEN: TOKEN, LOG_LEVEL: 'debug' });
    // A failed log-in: the kind of cross-organisation count that must not leak.
    await fetch(`${hub.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'x' },
      body: JSON.stringify({ email: 'nobody@acme.test', password: 'not-the-password-1' }),
    });
    for (const authorization of [undefined, '', `Bearer ${WRONG}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer']) {
      const response = await scrape(hub, authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
      expect(text).not.toContain('hub_');
      expect(text).not.toContain('canary');
    }
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
      const response = await scrape(hub, authorization);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(await response.text()).toMatch(/hub_http_requests_total\{method="POST",route="\/api\/session",status_code="40\d"\} 1/);
    }
    expect(hub.logs.lines.length).toBeGreaterThan(0);
    expect(hub.logs.text).not.toContain(TOKEN);
    expect(hub.logs.text).not.toContain(WRONG);
  });
});

it('refuses a short METRICS_TOKEN without echoing it', () => {
  const short = 'canary-short-token';
  let error: unknown;
  try {
    parseConfig({ METRICS_TOKEN: short });
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).message).toContain('METRICS_TOKEN');
  expect((error as ConfigError).message).not.toContain(short);
  expect(parseConfig({ METRICS_TOKEN: ` ${TOKEN}\n` }).metricsToken).toBe(TOKEN);
  expect(parseConfig({}).metricsToken).toBeUndefined();
});
