import type { FastifyInstance } from 'fastify';
import { classifyError, controlErrorFor, controlNotFound, isControlPath, requestPath } from '../common/errors.js';

/**
 * PagerDuty's classic error bodies, {"error":{"message","code","errors":[…]}} (API-NOTES §2.8).
 * Domain code throws PdError; the app's error handler (below) is the only place that answers.
 */
export class PdError extends Error {
  constructor(
    readonly status: number,
    /** null = answer with no body at all (bare 401/429 modes). */
    readonly body: Record<string, unknown> | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(`PagerDuty error ${status}`);
    this.name = 'PdError';
  }
}

const classic = (status: number, message: string, code: number, errors?: string[]) =>
  new PdError(status, { error: errors === undefined ? { message, code } : { message, code, errors } });

export const pdError = {
  /** 2001 — validation failures, unwrapped bodies (§5.9). */
  invalidInput: (...errors: string[]) => classic(400, 'Invalid Input Provided', 2001, errors),
  /** 2002 — e.g. the open-incident dedup conflict (§2.4) and offset+limit > 10000 (§2.2). */
  argumentsError: (...errors: string[]) => classic(400, 'Arguments Caused Error', 2002, errors),
  /** 2006 — missing, unknown, expired or revoked credentials (§5.7). */
  authenticationFailed: () => classic(401, 'Authentication failed', 2006),
  /** The observed missing-scope body: message plus `required_scopes` as a string (§1.6, ISS-TF1027). */
  missingScopes: (scopes: string[]) =>
    new PdError(403, { error: { message: 'Token missing required scopes', required_scopes: scopes.join(' ') } }),
  /** 2010 — authenticated but not allowed (e.g. a Responder managing webhook subscriptions, §3.1). */
  accessDenied: (...errors: string[]) => classic(403, 'Access Denied', 2010, errors),
  /** 2014 — the account's plan lacks the ability (402, API-NOTES §2.7, §2.8). */
  missingAbility: (...errors: string[]) => classic(402, 'Missing Account Ability', 2014, errors),
  /** 2100 — unknown ids and paths. */
  notFound: () => classic(404, 'Not Found', 2100),
  /** 2020 — rate limit (§2.9); the caller adds the ratelimit-* headers. */
  rateLimited: (headers: Record<string, string> = {}) =>
    new PdError(429, { error: { message: 'Rate Limit Exceeded', code: 2020 } }, headers),
  /** Injected 500s. The body PagerDuty sends is not documented (unverified). */
  internal: () => new PdError(500, { error: { message: 'Internal Server Error', code: 2000 } }),
  /** 1020 — unknown priority (DD-ERR). */
  invalidPriority: (detail: string) => classic(400, 'Invalid Priority', 1020, [detail]),
  /** Invalid status transitions (§2.5: 1001/1002/1003; HTTP status unverified, 400 here). */
  transition: (code: 1001 | 1002 | 1003, detail: string) =>
    classic(400, code === 1001 ? 'Incident Already Resolved' : code === 1002 ? 'Incident Already Acknowledged' : 'Invalid Status Provided', code, [detail]),
};

/**
 * One place maps errors to responses: PdError as is; control routes get the hub's shape; body
 * parse errors on REST become 400/2001; anything else is a sandbox bug → 500 in PagerDuty's shape.
 */
export function registerPdErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const path = requestPath(request);
    if (error instanceof PdError) {
      void reply.code(error.status).headers(error.headers);
      return error.body === null ? reply.send() : reply.send(error.body);
    }
    const { status, message } = classifyError(error);
    if (isControlPath(path)) {
      const control = controlErrorFor(error);
      if (status >= 500) request.log.error({ err: error }, 'sandbox bug');
      return reply.code(control.status).send(control.body);
    }
    if (path === '/oauth/token') {
      return reply.code(status >= 500 ? 500 : 400).send({ error: status >= 500 ? 'server_error' : 'invalid_request', error_description: message });
    }
    if (status < 500) {
      const e = pdError.invalidInput(message);
      return reply.code(status === 413 ? 413 : 400).send(e.body);
    }
    request.log.error({ err: error }, 'sandbox bug');
    return reply.code(500).send(pdError.internal().body);
  });
  app.setNotFoundHandler((request, reply) => {
    if (isControlPath(requestPath(request))) return reply.code(404).send(controlNotFound(request));
    return reply.code(404).send(pdError.notFound().body);
  });
}
