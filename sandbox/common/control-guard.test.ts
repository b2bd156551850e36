import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../index.js';
import { SEED_IDS } from '../linear/seed.js';
import { freePort } from './testing.js';

/**
 * The control API must not be usable cross-site (issue 14, item 8): a page on another origin
 * could send a "simple" POST (text/plain, a form, or no body) that needs no CORS preflight and
 * reset a stand-in. No database is involved, so there is no dialect split here.
 * Raw node:http, so Origin and Sec-Fetch-Site are sent exactly as a browser would.
 */
let sb: RunningSandbox;
const ports = { pagerduty: 0, linear: 0 };

beforeAll(async () => {
  ports.pagerduty = await freePort();
  ports.linear = await freePort();
  sb = await startSandbox({ host: '127.0.0.1', pagerdutyPort: ports.pagerduty, linearPort: ports.linear });
});
afterAll(async () => sb?.close());

function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : (JSON.parse(text) as unknown) }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    if (body !== undefined) req.setHeader('content-length', Buffer.byteLength(body));
    req.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const TEXT = { 'content-type': 'text/plain' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const ATTACKER = 'https://attacker.example';

async function clockOffset(port: number): Promise<number> {
  return ((await send(port, 'GET', '/_sandbox/clock')).json as { offsetMs: number }).offsetMs;
}

describe.each(['pagerduty', 'linear'] as const)('%s stand-in: control API refuses cross-site requests', (vendor) => {
  const port = () => ports[vendor];
  const ownOrigin = () => `http://127.0.0.1:${port()}`;

  beforeEach(async () => {
    expect((await send(port(), 'POST', '/_sandbox/reset', JSON_TYPE)).status).toBe(200);
    expect((await send(port(), 'POST', '/_sandbox/clock', JSON_TYPE, '{"advanceMs":60000}')).status).toBe(200);
  });

  it('a text/plain POST /_sandbox/reset from a foreign origin is refused (403) and resets nothing', async () => {
    const res = await send(port(), 'POST', '/_sandbox/reset', { ...TEXT, origin: ATTACKER }, '{}');
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: { code: 'forbidden_origin', message: expect.any(String) } });
    expect(await clockOffset(port())).toBe(60_000);
  });

  it('a foreign origin is refused even with JSON, "null" and another port of the same host included', async () => {
    for (const origin of [ATTACKER, 'null', `http://127.0.0.1:${vendor === 'linear' ? ports.pagerduty : ports.linear}`, 'http://localhost:3000']) {
      const res = await send(port(), 'POST', '/_sandbox/reset', { ...JSON_TYPE, origin });
      expect(res.status, origin).toBe(403);
    }
    const read = await send(port(), 'GET', '/_sandbox/requests', { origin: ATTACKER });
    expect(read.status).toBe(403);
    for (const site of ['cross-site', 'same-site']) {
      const noOrigin = await send(port(), 'POST', '/_sandbox/reset', { ...JSON_TYPE, 'sec-fetch-site': site });
      expect(noOrigin.status, site).toBe(403);
      const nullOrigin = await send(port(), 'POST', '/_sandbox/reset', { ...JSON_TYPE, origin: 'null', 'sec-fetch-site': site });
      expect(nullOrigin.status, site).toBe(403);
    }
    expect(await clockOffset(port())).toBe(60_000);
  });

  it('a POST that is not application/json is refused with 415, whatever its origin', async () => {
    const attempts: Array<[string, Record<string, string>, string | undefined]> = [
      ['/_sandbox/reset', TEXT, 'hello'],
      ['/_sandbox/reset', FORM, 'a=1'],
      ['/_sandbox/reset', {}, undefined],
      ['/_sandbox/reset', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--'],
      ['/_sandbox/clock', TEXT, '{"advanceMs":1}'],
      ['/_sandbox/faults', TEXT, '{"api":[{"kind":"500","count":1}]}'],
      // The router decodes %5F to "_": the guard must see the same path.
      ['/%5Fsandbox/reset', TEXT, '{}'],
    ];
    for (const [path, headers, body] of attempts) {
      const res = await send(port(), 'POST', path, headers, body);
      expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(415);
      expect(res.json).toEqual({ error: { code: 'unsupported_media_type', message: expect.any(String) } });
    }
    expect(await clockOffset(port())).toBe(60_000);
    expect((await send(port(), 'GET', '/_sandbox/faults')).json).toEqual({ api: [], deliveries: [] });
  });

  it('tools without an Origin, and the stand-in’s own pages, still work', async () => {
    expect((await send(port(), 'POST', '/_sandbox/reset', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
    expect(await clockOffset(port())).toBe(0);
    const own = await send(port(), 'POST', '/_sandbox/clock', { ...JSON_TYPE, origin: ownOrigin(), 'sec-fetch-site': 'same-origin' }, '{"advanceMs":5}');
    expect(own.status).toBe(200);
    expect((await send(port(), 'GET', '/_sandbox/clock', { origin: ownOrigin() })).status).toBe(200);
    // Chromium's own-page form posts under Referrer-Policy: no-referrer carry Origin: null.
    const ownForm = await send(port(), 'POST', '/_sandbox/clock', { ...JSON_TYPE, origin: 'null', 'sec-fetch-site': 'same-origin' }, '{"advanceMs":5}');
    expect(ownForm.status).toBe(200);
  });
});

describe('page forms under /_sandbox/ui/', () => {
  const issueForm = (title: string) =>
    new URLSearchParams({ as: SEED_IDS.acme.admin, teamId: SEED_IDS.acme.teams.ENG, title }).toString();

  it('accept form posts from the stand-in’s own page and refuse them from a foreign origin', async () => {
    const own = await send(ports.linear, 'POST', '/_sandbox/ui/issues', { ...FORM, origin: `http://localhost:${ports.linear}`, host: `localhost:${ports.linear}` }, issueForm('From the page'));
    expect(own.status).toBe(303);
    const foreign = await send(ports.linear, 'POST', '/_sandbox/ui/issues', { ...FORM, origin: ATTACKER }, issueForm('From elsewhere'));
    expect(foreign.status).toBe(403);
    const titles = [...sb.linear.state.issues.values()].map((issue) => issue.title);
    expect(titles).toContain('From the page');
    expect(titles).not.toContain('From elsewhere');
  });
});
