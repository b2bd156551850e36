import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../index.js';
import { freePort } from './testing.js';

/**
 * Bad input that used to answer Fastify's default body or a 500: each must now be a 4xx in the
 * vendor's shape (or the hub's shape on /_sandbox/ routes). Raw node:http so malformed URLs reach
 * the server unchanged.
 */
let sb: RunningSandbox;
let pd = 0;
let ln = 0;
let linearToken = '';

beforeAll(async () => {
  pd = await freePort();
  ln = await freePort();
  sb = await startSandbox({ host: '127.0.0.1', pagerdutyPort: pd, linearPort: ln });
  const res = await fetch(`http://127.0.0.1:${ln}/_sandbox/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspace: 'Acme' }),
  });
  linearToken = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(async () => {
  await sb.close();
});

function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : JSON.parse(text) }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    if (body !== undefined) req.setHeader('content-length', Buffer.byteLength(body));
    req.end(body);
  });
}

const json = { 'content-type': 'application/json' };
const linearAuth = () => ({ ...json, authorization: `Bearer ${linearToken}` });
const deep = (n: number) => '{ viewer '.repeat(n) + '{ id }' + ' }'.repeat(n);

const expectLinearErrors = (json: unknown, code?: string) => {
  const body = json as { errors: Array<{ message: string; extensions: { code: string; type: string } }> };
  expect(body.errors).toHaveLength(1);
  expect(typeof body.errors[0]!.message).toBe('string');
  expect(body.errors[0]!.extensions.type).toBeTypeOf('string');
  if (code) expect(body.errors[0]!.extensions.code).toBe(code);
  expect(json).not.toHaveProperty('statusCode');
};
const expectControlError = (json: unknown, code: string) => {
  expect(json).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(json).not.toHaveProperty('statusCode');
};
const expectPdError = (json: unknown) => {
  expect(json).toMatchObject({ error: { message: expect.any(String), code: expect.any(Number) } });
  expect(json).not.toHaveProperty('statusCode');
};

describe('Linear GraphQL', () => {
  it('absurdly deep nesting is a 400 parse error, not a stack overflow 500', async () => {
    const r = await send(ln, 'POST', '/graphql', linearAuth(), JSON.stringify({ query: deep(3000) }));
    expect(r.status).toBe(400);
    expectLinearErrors(r.json, 'GRAPHQL_PARSE_FAILED');
  });

  it('nesting past the depth limit that still parses is a 400 validation error', async () => {
    const r = await send(ln, 'POST', '/graphql', linearAuth(), JSON.stringify({ query: deep(80) }));
    expect(r.status).toBe(400);
    expectLinearErrors(r.json, 'GRAPHQL_VALIDATION_FAILED');
    const list = `{ issues(filter: { title: { in: ${'['.repeat(3000)}${']'.repeat(3000)} } }) { nodes { id } } }`;
    const r2 = await send(ln, 'POST', '/graphql', linearAuth(), JSON.stringify({ query: list }));
    expect(r2.status).toBe(400);
    expectLinearErrors(r2.json);
  });

  it('malformed JSON answers Linear’s shape', async () => {
    const r = await send(ln, 'POST', '/graphql', linearAuth(), '{bad');
    expect(r.status).toBe(400);
    expectLinearErrors(r.json, 'GRAPHQL_PARSE_FAILED');
  });

  it.each(['[]', '"query"', '42', 'true', '[{"query":"{ viewer { id } }"}]'])('a non-object body %s is a 400', async (body) => {
    const r = await send(ln, 'POST', '/graphql', linearAuth(), body);
    expect(r.status).toBe(400);
    expectLinearErrors(r.json, 'GRAPHQL_VALIDATION_FAILED');
  });

  it.each([
    [{ query: '{ viewer { id } }', variables: [1] }],
    [{ query: '{ viewer { id } }', variables: 'x' }],
    [{ query: '{ viewer { id } }', operationName: 5 }],
  ])('wrong-typed variables / operationName %j are a 400', async (body) => {
    const r = await send(ln, 'POST', '/graphql', linearAuth(), JSON.stringify(body));
    expect(r.status).toBe(400);
    expectLinearErrors(r.json, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('oversize bodies and unsupported content types answer Linear’s shape', async () => {
    const big = await send(ln, 'POST', '/graphql', linearAuth(), JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expectLinearErrors(big.json);
    const gql = await send(ln, 'POST', '/graphql', { ...linearAuth(), 'content-type': 'application/graphql' }, '{ viewer { id } }');
    expect(gql.status).toBe(415);
    expectLinearErrors(gql.json);
  });

  it('wrong methods and unknown API paths are a 404 in Linear’s shape', async () => {
    for (const [method, path] of [['DELETE', '/graphql'], ['PUT', '/graphql'], ['POST', '/nope']] as const) {
      const r = await send(ln, method, path, linearAuth(), '{}');
      expect(r.status).toBe(404);
      expectLinearErrors(r.json);
    }
  });

  it('bad percent-encoding in page paths is a 400, not Fastify’s default body', async () => {
    for (const path of ['/%zz', '/acme/team/%zz', '/acme/issue/%E0%A4%A']) {
      const r = await send(ln, 'GET', path);
      expect(r.status).toBe(400);
      expectLinearErrors(r.json);
    }
  });
});

describe('Linear OAuth and control routes', () => {
  it('malformed JSON on /oauth/* answers {error, error_description}', async () => {
    for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/authorize']) {
      const r = await send(ln, 'POST', path, json, '{bad');
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    }
  });

  it('malformed, oversize or wrongly typed bodies on /_sandbox/* answer the hub’s shape', async () => {
    for (const path of ['/_sandbox/clock', '/_sandbox/faults', '/_sandbox/tokens', '/_sandbox/settings', '/_sandbox/ui/issues']) {
      const bad = await send(ln, 'POST', path, json, '{bad');
      expect(bad.status).toBe(400);
      expectControlError(bad.json, 'invalid_json');
      const big = await send(ln, 'POST', path, json, JSON.stringify({ x: 'x'.repeat(2 * 1024 * 1024) }));
      expect(big.status).toBe(413);
      expectControlError(big.json, 'body_too_large');
      if (path.startsWith('/_sandbox/ui/')) continue; // page forms answer 303 back to the page
      const text = await send(ln, 'POST', path, { 'content-type': 'text/plain' }, 'hello');
      expect([400, 415]).toContain(text.status);
      expect(text.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('unknown control routes are a 404 in the hub’s shape', async () => {
    const r = await send(ln, 'POST', '/_sandbox/nope', json, '{}');
    expect(r.status).toBe(404);
    expectControlError(r.json, 'not_found');
  });
});

describe('PagerDuty', () => {
  it('bad percent-encoding in paths answers PagerDuty’s shape, not Fastify’s default body', async () => {
    for (const path of ['/services/%zz', '/incidents/%zz?limit=1', '/%E0%A4%A']) {
      const r = await send(pd, 'GET', path, { authorization: 'Token token=acme_sandbox_api_key_0001' });
      expect(r.status).toBe(400);
      expectPdError(r.json);
    }
  });

  it('bad percent-encoding on control paths answers the hub’s shape', async () => {
    const r = await send(pd, 'GET', '/_sandbox/%zz');
    expect(r.status).toBe(400);
    expectControlError(r.json, 'bad_url');
  });

  it('malformed, oversize or wrongly typed control bodies answer the hub’s shape with a precise code', async () => {
    const bad = await send(pd, 'POST', '/_sandbox/clock', json, '{bad');
    expect(bad.status).toBe(400);
    expectControlError(bad.json, 'invalid_json');
    const big = await send(pd, 'POST', '/_sandbox/faults', json, JSON.stringify({ x: 'x'.repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expectControlError(big.json, 'body_too_large');
  });
});
