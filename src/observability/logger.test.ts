import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../test/helpers/hub.js';
import { createLogger, redactUrl } from './logger.js';

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
});
