import { z } from 'zod';
import { emptyBody, idParams, isoTime, noQuery, providerSchema } from './common.js';
import { endpoint, type Filters, type ParsedQuery, type ResponseBody } from './endpoint.js';

/**
 * Links: each Linear issue the hub paged for and its PagerDuty incident, with how the pair
 * stands and its two-way timeline (docs/api.md § Links, docs/bidirectional-sync.md). Any
 * logged-in user reads; Re-sync now is for admins. Another organisation's link answers 404
 * link_not_found.
 */

/**
 * - `opening`: the incident is being opened (none yet);
 * - `in_sync`: both sides as the rule says, nothing pending;
 * - `retrying`: the last attempt failed and runs again at `nextRetryAt` (`lastError` says why);
 * - `failed`: the pair's last job failed for good (`lastError`); Re-sync now tries again;
 * - `waiting`: a connection the pair needs is not Connected (`waitingFor`): sync waits, nothing
 *   is lost, and it resumes when reconnected;
 * - `closed`: both sides done (incident resolved, issue completed or canceled) or the issue deleted.
 */
export const linkStatusSchema = z.enum(['opening', 'in_sync', 'retrying', 'failed', 'waiting', 'closed']);
export type LinkStatusValue = z.infer<typeof linkStatusSchema>;

const linkViewSchema = z.strictObject({
  id: z.string(),
  rule: z.strictObject({ id: z.string(), name: z.string() }),
  issue: z.strictObject({
    id: z.string(),
    /** `ENG-123` */
    identifier: z.string(),
    title: z.string(),
    url: z.string(),
    /** The issue's workflow state as last seen; type is Linear's (`started`, `completed`…). */
    state: z.strictObject({ name: z.string(), type: z.string() }).nullable(),
  }),
  /** Null while the incident is being opened. */
  incident: z
    .strictObject({ id: z.string(), number: z.number().int(), url: z.string(), status: z.enum(['triggered', 'acknowledged', 'resolved']) })
    .nullable(),
  service: z.strictObject({ id: z.string(), name: z.string() }),
  status: linkStatusSchema,
  /** While `waiting`: the connections sync waits for, and their status. */
  waitingFor: z.array(z.strictObject({ provider: providerSchema, status: z.enum(['not_connected', 'disconnected']) })),
  /** The latest event either way, or change of the link. */
  lastActivityAt: isoTime,
  lastError: z.strictObject({ message: z.string(), at: isoTime }).nullable(),
  /** While `retrying`: when the failed work runs again. */
  nextRetryAt: isoTime.nullable(),
  createdAt: isoTime,
});
export type LinkView = z.infer<typeof linkViewSchema>;

/**
 * One line of a link's two-way timeline: an event `received`, an `action` taken upstream, the
 * `echo` of the hub's own change dropped, an event `skipped` (recorded, not mirrored), a `failed`
 * action. `direction` is which way it flows (`none`: neither, e.g. Re-sync now).
 */
const timelineEntrySchema = z.strictObject({
  id: z.string(),
  at: isoTime,
  direction: z.enum(['issue_to_incident', 'incident_to_issue', 'none']),
  kind: z.enum(['received', 'action', 'echo', 'skipped', 'failed']),
  summary: z.string(),
  deliveryId: z.string().nullable(),
  jobId: z.string().nullable(),
  /** true when the reconciliation found what this line records (a missed webhook, healed). */
  foundByReconciliation: z.boolean(),
});
export type TimelineEntryView = z.infer<typeof timelineEntrySchema>;

export const linksApi = {
  /**
   * GET /api/links?q=&status=&rule=&cursor=&limit= — the latest activity first. `q`: an issue
   * identifier (`ENG-12`; a team key `ENG` lists its issues) or an incident number (`#7`, `7`).
   * `limit` 1–100 (default 50); pass `nextCursor` back as `cursor` for the next page (a page
   * filtered by status may come back short with a cursor: more may follow).
   */
  list: endpoint({
    method: 'GET',
    path: '/api/links',
    query: z.strictObject({
      q: z.string().trim().max(100).optional(),
      status: linkStatusSchema.optional(),
      rule: z.string().trim().min(1).max(64).optional(),
      cursor: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
    status: 200,
    response: z.strictObject({ links: z.array(linkViewSchema), nextCursor: z.string().nullable() }),
  }),
  /** GET /api/links/:id — the link and its timeline, oldest first (the latest 500 entries). */
  get: endpoint({
    method: 'GET',
    path: '/api/links/:id',
    params: idParams,
    query: noQuery,
    status: 200,
    response: z.strictObject({ link: linkViewSchema, timeline: z.array(timelineEntrySchema) }),
  }),
  /**
   * POST /api/links/:id/resync — admin: Re-sync now reads both sides and brings them in line,
   * in the pair's lane (after any work queued before it). Answers the job's id.
   */
  resync: endpoint({
    method: 'POST',
    path: '/api/links/:id/resync',
    params: idParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: z.strictObject({ jobId: z.string() }),
  }),
};

export type LinksResponse = ResponseBody<typeof linksApi.list>;
export type LinkResponse = ResponseBody<typeof linksApi.get>;
export type ResyncResponse = ResponseBody<typeof linksApi.resync>;
export type LinksQuery = Filters<ParsedQuery<typeof linksApi.list>>;
