import { ProviderRequestError } from '../errors.js';
import type { IncidentPager, TrackerNamed } from '../roles.js';
import { PagerDutyRequestError, pagerdutyCall, type PagerDutyRequest } from './api.js';
import { pagerdutyIncidentSync } from './incident-sync.js';

/**
 * PagerDuty as the hub's incident pager (roles.ts): what the Rules form reads of the account,
 * and two-way sync's incident reads and writes (incident-sync.ts).
 * A service PagerDuty does not know is 404 (code 2100); an account without priorities answers
 * GET /priorities with an empty list (priorities turned off) or 402 code 2014 "Missing Account
 * Ability" (its plan lacks them) — both are null (API-NOTES §2.7, §2.8; OpenAPI lists 402 there).
 */

/** PagerDuty's largest page (a larger `limit` is lowered to 100); `offset + limit` may not exceed 10 000. */
const PAGE_LIMIT = 100;
const MAX_WINDOW = 10_000;
const MISSING_ACCOUNT_ABILITY = 2014;

export async function getService(request: PagerDutyRequest, serviceId: string): Promise<TrackerNamed | null> {
  try {
    const body = await pagerdutyCall<{ service?: { id?: unknown; name?: unknown } } | undefined>(
      request,
      'GET',
      `/services/${encodeURIComponent(serviceId)}`,
    );
    const service = body?.service;
    if (typeof service?.id !== 'string') throw new ProviderRequestError('pagerduty', 'PagerDuty answered GET /services/{id} without a service.', 200);
    return { id: service.id, name: typeof service.name === 'string' ? service.name : service.id };
  } catch (error) {
    if (error instanceof ProviderRequestError && error.status === 404) return null;
    throw error;
  }
}

/** Every priority of the account, most severe first (PagerDuty's order, kept); null when it has none. */
export async function listPriorities(request: PagerDutyRequest): Promise<TrackerNamed[] | null> {
  const priorities: TrackerNamed[] = [];
  for (let offset = 0; offset + PAGE_LIMIT <= MAX_WINDOW; offset += PAGE_LIMIT) {
    let page: { priorities?: Array<Record<string, unknown>>; more?: boolean } | undefined;
    try {
      page = await pagerdutyCall(request, 'GET', '/priorities', { query: { limit: String(PAGE_LIMIT), offset: String(offset) } });
    } catch (error) {
      if (error instanceof PagerDutyRequestError && error.status === 402 && error.code === MISSING_ACCOUNT_ABILITY) return null;
      throw error;
    }
    for (const priority of page?.priorities ?? []) {
      if (typeof priority.id !== 'string') continue;
      const name = typeof priority.name === 'string' ? priority.name : typeof priority.summary === 'string' ? priority.summary : priority.id;
      priorities.push({ id: priority.id, name });
    }
    if (page?.more !== true) break;
  }
  return priorities.length === 0 ? null : priorities;
}

export const pagerdutyIncidentPager: IncidentPager = {
  provider: 'pagerduty',
  service: getService,
  priorities: listPriorities,
  sync: pagerdutyIncidentSync,
};
