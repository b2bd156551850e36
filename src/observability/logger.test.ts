import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../test/helpers/hub.js';
import { createLogger, redactUrl, serializeError } from './logger.js';

describe('logger redaction', () => {
  it('censors secrets by path, at the top level and one level down', () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'debug', destination: capture });
    logger.info({ password: 'canary-pw-1', body: { token: 'canary-tok-2', secret: 'canary-sec-3' }, credentials: { refresh_token: 'canary-rt-4' } }, 'x');
    logger.info({ req: { method: 'GET', url: '/x', headers: { authorization: 'Bearer canary-auth-5', cookie: 'hub_session=canary-cookie-6' } } }, 'y');
    for (const canary of ['canary-pw-1', 'canary-tok-2', 'canary-sec-3', 'canary-rt-4', 'canary-auth-5', 'canary-cookie-6']) {
      expect(capture.text).not.toContain(canary);
    }
    expect(capture.text).toContain('[redacted]');
  });

  it('keeps OAuth codes and tokens out of logged URLs', () => {
    expect(redactUrl('/oauth/pagerduty/callback?code=abc123&state=xyz&foo=bar')).toBe(
      '/oauth/pagerduty/callback?code=redacted&state=redacted&foo=bar',
    );
    expect(redactUrl('/healthz')).toBe('/healthz');
  });

  it('serializes requests without headers or bodies', () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'info', destination: capture });
    logger.info({ req: { method: 'POST', url: '/cb?access_token=canary-at-7', ip: '10.0.0.1', headers: { 'x-secret': 'canary-h-8' }, body: { password: 'canary-b-9' } } }, 'request');
    const line = JSON.parse(capture.lines[0]!) as { req: Record<string, unknown> };
    expect(line.req).toEqual({ method: 'POST', url: '/cb?access_token=redacted', remoteAddress: '10.0.0.1' });
    expect(capture.text).not.toMatch(/canary-(at-7|h-8|b-9)/);
  });

  it('censors secrets two levels down', () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'debug', destination: capture });
    logger.info(
      {
        request: { body: { password: 'canary-pw-2lvl', name: 'kept-name' } },
        vendor: { oauth: { access_token: 'canary-at-2lvl', client_secret: 'canary-cs-2lvl' } },
      },
      'nested',
    );
    expect(capture.text).not.toMatch(/canary-(pw|at|cs)-2lvl/);
    const line = JSON.parse(capture.lines[0]!) as { request: { body: Record<string, unknown> } };
    expect(line.request.body).toEqual({ password: '[redacted]', name: 'kept-name' });
  });

  it('drops database error fields that echo row values, keeping message, code and stack', () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'debug', destination: capture });
    // The shape of a pg DatabaseError for a NOT NULL / check violation.
    const error = Object.assign(new Error('null value in column "name" of relation "users" violates not-null constraint'), {
      code: '23502',
      detail: 'Failing row contains (usr_1, canary-row-email@acme.test, canary-row-hash).',
      where: 'SQL statement "insert … canary-where"',
      hint: 'canary-hint',
      internalQuery: 'select canary-internal',
      table: 'users',
    });
    const wrapped = Object.assign(new Error('insert failed', { cause: error }), {
      parameters: ['canary-param'],
      query: { sql: 'insert into users values ($1)', parameters: ['canary-param-2'] },
    });
    logger.error({ err: error }, 'db error');
    logger.error({ err: wrapped }, 'wrapped db error');
    logger.error({ err: new AggregateError([error], 'many') }, 'aggregate');
    expect(capture.text).not.toContain('canary');
    const line = JSON.parse(capture.lines[0]!) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({ type: 'Error', code: '23502', table: 'users' });
    expect(line.err.message).toContain('violates not-null constraint');
    expect(line.err.stack).toContain('Error: null value');
    // The logged error itself is untouched.
    expect(error.detail).toContain('Failing row contains');
    const plain = { detail: 'canary-plain', code: 'X' };
    expect(serializeError(plain)).toEqual({ code: 'X' });
    expect(plain.detail).toBe('canary-plain');
  });
});
