import type { IncidentNote, IncidentStatus, IncidentSync, NewIncident, PagedIncident } from '../roles.js';
import { PagerDutyRequestError, pagerdutyCall, type PagerDutyRequest } from './api.js';
import { toIncidentNote, toPagedIncident } from './incident-wire.js';

/**
 * PagerDuty's side of two-way sync (roles.ts `IncidentSync`), REST v2 (API-NOTES §2.4–2.6).
 * Every write sends `From` = the connected user's e-mail when the connection knows it (required
 * for app tokens and account keys, harmless for user tokens: §2.1).
 */

/**
 * The longest incident title the hub sends; `createIncident` cuts longer ones, ending in "…".
 * PagerDuty's REST reference publishes no limit for `incident.title`; 1024 characters is the
 * documented limit of the Events API v2 `summary` that becomes an incident's title, and the one
 * clients report being refused beyond (400 "is too long (maximum is 1024 characters)").
 */
export const PAGERDUTY_TITLE_MAX = 1024;

/** PagerDuty's answer to a second open incident with one key on one service (API-NOTES §2.4, CODE-DEDUP). */
const DEDUP_CONFLICT = 'open incident with matching dedup key already exists';

/** PagerDuty's largest page; `offset + limit` may not exceed 10 000 (§2.2). */
const PAGE_LIMIT = 100;
const MAX_WINDOW = 10_000;

/** Cut to `max` characters (code points, so no half emoji), the last being "…". */
export function fitIncidentTitle(title: string, max = PAGERDUTY_TITLE_MAX): string {
  const chars = Array.from(title);
  return chars.length <= max ? title : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

const writer = (request: PagerDutyRequest) => (request.from ? { from: request.from } : {});
const incidentPath = (id: string) => `/incidents/${encodeURIComponent(id)}`;

const isNotFound = (error: unknown) => error instanceof PagerDutyRequestError && error.status === 404;

export async function createIncident(request: PagerDutyRequest, incident: NewIncident): Promise<PagedIncident | 'duplicate_key'> {
  const body = {
    incident: {
      type: 'incident',
      title: fitIncidentTitle(incident.title),
      service: { id: incident.serviceId, type: 'service_reference' },
      urgency: incident.urgency,
      ...(incident.priorityId !== null ? { priority: { id: incident.priorityId, type: 'priority_reference' } } : {}),
      incident_key: incident.incidentKey,
      // The docs say a body's details "must be strings" (the schema says object): a string (§2.4).
      body: { type: 'incident_body', details: incident.details },
    },
  };
  try {
    const answer = await pagerdutyCall<{ incident?: Record<string, unknown> } | undefined>(request, 'POST', '/incidents', { body, ...writer(request) });
    return toPagedIncident(answer?.incident);
  } catch (error) {
    // Matched on the errors[] text, not the code: older answers used other codes (§2.4).
    if (error instanceof PagerDutyRequestError && error.status === 400 && error.errors.some((e) => e.toLowerCase().includes(DEDUP_CONFLICT))) {
      return 'duplicate_key';
    }
    throw error;
  }
}

export async function getIncident(request: PagerDutyRequest, incidentId: string): Promise<PagedIncident | null> {
  try {
    const answer = await pagerdutyCall<{ incident?: Record<string, unknown> } | undefined>(request, 'GET', incidentPath(incidentId));
    return toPagedIncident(answer?.incident);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * The incident carrying the key: the newest open one, else the newest resolved one (a key may
 * be reused once its incident is resolved — only open incidents conflict). `date_range=all`: the
 * list otherwise covers only the last month (§2.2), and a link can be older.
 */
export async function incidentByKey(request: PagerDutyRequest, incidentKey: string): Promise<PagedIncident | null> {
  const found: PagedIncident[] = [];
  for (let offset = 0; offset + PAGE_LIMIT <= MAX_WINDOW; offset += PAGE_LIMIT) {
    const page = await pagerdutyCall<{ incidents?: Array<Record<string, unknown>>; more?: boolean } | undefined>(request, 'GET', '/incidents', {
      query: { incident_key: incidentKey, date_range: 'all', limit: String(PAGE_LIMIT), offset: String(offset) },
    });
    found.push(...(page?.incidents ?? []).map(toPagedIncident));
    if (page?.more !== true) break;
  }
  const newestFirst = found.sort((a, b) => b.number - a.number);
  return newestFirst.find((i) => i.status !== 'resolved') ?? newestFirst[0] ?? null;
}

/**
 * PUT status (and `resolution`, which PagerDuty puts on the resolve log entry, when resolving).
 * A refusal because the incident is in that status already (400 with 1001/1002/1003 at some
 * vendors' versions, 200 at others; undocumented, §2.5) is success: on a 400 the incident is
 * read, and a matching status ends the call.
 */
export async function setIncidentStatus(request: PagerDutyRequest, incidentId: string, status: IncidentStatus, resolution?: string): Promise<void> {
  const incident = { type: 'incident_reference', status, ...(status === 'resolved' && resolution !== undefined ? { resolution } : {}) };
  try {
    await pagerdutyCall(request, 'PUT', incidentPath(incidentId), { body: { incident }, ...writer(request) });
  } catch (error) {
    if (!(error instanceof PagerDutyRequestError && error.status === 400)) throw error;
    const current = await getIncident(request, incidentId);
    if (current?.status !== status) throw error;
  }
}

export async function addNote(request: PagerDutyRequest, incidentId: string, content: string): Promise<IncidentNote> {
  const answer = await pagerdutyCall<{ note?: Record<string, unknown> } | undefined>(request, 'POST', `${incidentPath(incidentId)}/notes`, {
    body: { note: { content } },
    ...writer(request),
  });
  return toIncidentNote(answer?.note);
}

/** Every note of the incident, oldest first (the endpoint is not paged: at most 2000 notes, §2.6). */
export async function listNotes(request: PagerDutyRequest, incidentId: string): Promise<IncidentNote[]> {
  const answer = await pagerdutyCall<{ notes?: Array<Record<string, unknown>> } | undefined>(request, 'GET', `${incidentPath(incidentId)}/notes`);
  return (answer?.notes ?? []).map(toIncidentNote).sort((a, b) => a.createdAt - b.createdAt);
}

export const pagerdutyIncidentSync: IncidentSync = {
  createIncident,
  incidentByKey,
  incident: getIncident,
  setIncidentStatus,
  addNote,
  notes: listNotes,
};
