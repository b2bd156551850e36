import type { Logger } from '../../observability/logger.js';
import {
  ProviderForbiddenError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderUnauthorizedError,
  ProviderUnavailableError,
} from '../errors.js';
import { providerFetch } from '../fetch.js';
import type { ProviderRequest } from '../request.js';

/**
 * The PagerDuty REST v2 calls the hub makes (reference/pagerduty/API-NOTES.md §2). Stateless:
 * the caller supplies the regional API base and a token (connections/provider-call.ts adds
 * refresh-on-401 on top). Quirks: every request sends the version `Accept`; a 401 body is not
 * always JSON; a 429 may come without headers; `offset + limit` may not exceed 10 000.
 */

export interface PagerDutyUser {
  id: string;
  name: string;
  email: string;
  /** owner (Global Admin), admin, user (Manager), limited_user (Responder), observer, restricted_access, read_only_user… */
  role: string;
  htmlUrl: string | null;
}

export interface PagerDutyService {
  id: string;
  name: string;
  status: string;
  htmlUrl: string | null;
}

export interface PagerDutyRequest extends ProviderRequest {
  logger?: Logger;
}

export async function pagerdutyCall<T>(
  request: PagerDutyRequest,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { query?: Record<string, string>; body?: unknown; from?: string } = {},
): Promise<T> {
  const url = new URL(request.apiUrl + path);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = {
    accept: 'application/vnd.pagerduty+json;version=2',
    authorization: `Bearer ${request.accessToken}`,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.from !== undefined) headers.from = options.from;
  await request.pacer?.beforeCall();
  const response = await providerFetch(
    'pagerduty',
    url,
    { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) },
    request.timeoutMs,
  );
  request.pacer?.observe(response.headers, response.status);
  const text = await response.text();
  if (response.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
  throw pagerdutyError(response, text, `${method} ${path}`);
}

function pagerdutyError(response: Response, text: string, what: string): Error {
  const detail = errorDetail(text);
  switch (true) {
    case response.status === 401:
      return new ProviderUnauthorizedError('pagerduty', `PagerDuty refused the hub's token (${what}: 401).`);
    case response.status === 403:
      return new ProviderForbiddenError('pagerduty', `PagerDuty does not allow this (${what}: 403${detail ? `, ${detail}` : ''}).`);
    case response.status === 429: {
      const reset = Number(response.headers.get('ratelimit-reset'));
      return new ProviderRateLimitedError(
        'pagerduty',
        `PagerDuty rate limit reached (${what}).`,
        Number.isFinite(reset) && reset > 0 ? Math.min(reset, 3600) : undefined,
      );
    }
    case response.status >= 500:
      return new ProviderUnavailableError('pagerduty', `PagerDuty answered HTTP ${response.status} (${what}).`, 'server');
    default:
      return new PagerDutyRequestError(
        `PagerDuty refused ${what}: HTTP ${response.status}${detail ? ` — ${detail}` : ''}.`,
        response.status,
        errorCode(text),
        errorList(text),
      );
  }
}

/**
 * A 4xx refusal with PagerDuty's numeric `error.code` when the body had one (2014 Missing Account
 * Ability, 2100 Not Found…) and its `error.errors[]` details (e.g. the dedup-key conflict, which
 * is recognised by that text, not by the code: API-NOTES §2.4).
 */
export class PagerDutyRequestError extends ProviderRequestError {
  constructor(
    message: string,
    status: number,
    readonly code: number | undefined,
    readonly errors: readonly string[] = [],
  ) {
    super('pagerduty', message, status);
  }
}

function errorCode(text: string): number | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } } | null)?.error?.code;
    return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The `error.errors[]` strings of PagerDuty's error envelope (each bounded); none when absent. */
function errorList(text: string): string[] {
  try {
    const errors = (JSON.parse(text) as { error?: { errors?: unknown } } | null)?.error?.errors;
    return Array.isArray(errors) ? errors.filter((e): e is string => typeof e === 'string').map((e) => e.slice(0, 300)) : [];
  } catch {
    return [];
  }
}

/** "message: errors…" from PagerDuty's error envelope, bounded; never the raw body. */
function errorDetail(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; errors?: unknown } };
    const message = typeof body.error?.message === 'string' ? body.error.message : undefined;
    const errors = Array.isArray(body.error?.errors) ? body.error.errors.filter((e) => typeof e === 'string') : [];
    const joined = [message, ...errors].filter((part) => part !== undefined).join(': ');
    return joined === '' ? undefined : joined.slice(0, 300);
  } catch {
    return undefined;
  }
}

export async function getCurrentUser(request: PagerDutyRequest): Promise<PagerDutyUser> {
  const body = await pagerdutyCall<{ user?: Record<string, unknown> } | undefined>(request, 'GET', '/users/me');
  const user = body?.user;
  if (!user || typeof user.id !== 'string') throw new ProviderRequestError('pagerduty', 'PagerDuty answered GET /users/me without a user.', 200);
  return {
    id: user.id,
    name: typeof user.name === 'string' ? user.name : user.id,
    email: typeof user.email === 'string' ? user.email : '',
    role: typeof user.role === 'string' ? user.role : 'unknown',
    htmlUrl: typeof user.html_url === 'string' ? user.html_url : null,
  };
}

/** Every service of the account, all pages (offset pagination, 100 per page). */
export async function listServices(request: PagerDutyRequest): Promise<PagerDutyService[]> {
  const services: PagerDutyService[] = [];
  const limit = 100;
  for (let offset = 0; offset + limit <= 10_000; offset += limit) {
    const page = await pagerdutyCall<{ services?: Array<Record<string, unknown>>; more?: boolean } | undefined>(request, 'GET', '/services', {
      query: { limit: String(limit), offset: String(offset), sort_by: 'name' },
    });
    for (const service of page?.services ?? []) {
      if (typeof service.id !== 'string') continue;
      services.push({
        id: service.id,
        name: typeof service.name === 'string' ? service.name : service.id,
        status: typeof service.status === 'string' ? service.status : 'unknown',
        htmlUrl: typeof service.html_url === 'string' ? service.html_url : null,
      });
    }
    if (page?.more !== true) break;
  }
  return services;
}
