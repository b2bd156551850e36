import type { FastifyInstance, FastifyReply } from 'fastify';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface SecurityHeaderOptions {
  https: boolean;
}

/**
 * Sets the headers every response carries. Used by the onSend hook below and by answers sent
 * outside the request lifecycle (Fastify's frameworkErrors, which run no hooks).
 */
export function applySecurityHeaders(reply: FastifyReply, options: SecurityHeaderOptions): void {
  reply.header('content-security-policy', CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  if (options.https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

/**
 * Headers on every response. The CSP allows only our own origin: the web app is built by
 * Vite into static files with no inline script. Referrer-Policy no-referrer keeps OAuth
 * codes in callback URLs from leaking to other sites.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    applySecurityHeaders(reply, options);
    return payload;
  });
}
