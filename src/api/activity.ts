import { z } from 'zod';
import { emptyBody, idParams, isoTime, noQuery, providerSchema } from './common.js';
import { endpoint, type Filters, type ParsedQuery, type ResponseBody } from './endpoint.js';

/** One webhook request the hub accepted (forged, stale and malformed ones are refused, not listed). */
const deliveryViewSchema = z.strictObject({
  id: z.string(),
  provider: providerSchema,
  /** The team (Linear) or service (PagerDuty) the webhook belongs to. */
  scope: z.strictObject({ kind: z.enum(['team', 'service']), id: z.string(), name: z.string() }),
  /** Linear `Issue.create`, `Comment.update`…; PagerDuty `incident.acknowledged`… */
  eventType: z.string(),
  entity: z.strictObject({ type: z.string(), id: z.string(), label: z.string().nullable() }),
  receivedAt: isoTime,
  /**
   * `received`: stored, its job queued (or waiting: the connection is Disconnected);
   * `processed`; `ignored` (not for this connection, e.g. another workspace); `failed`.
   */
  outcome: z.enum(['received', 'processed', 'ignored', 'failed']),
  outcomeDetail: z.string().nullable(),
  /** Further copies of this delivery the provider sent (retries), absorbed without new work. */
  duplicates: z.number().int().nonnegative(),
  jobId: z.string().nullable(),
  /** The issue–incident link the delivery is about (its page: /links/<id>); null when none. */
  linkId: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof deliveryViewSchema>;

const jobViewSchema = z.strictObject({
  id: z.string(),
  kind: z.string(),
  lane: z.string().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'dead']),
  attempts: z.number().int().nonnegative(),
  maxAttempts: z.number().int().positive(),
  /** When it runs next (queued), null otherwise. */
  nextRunAt: isoTime.nullable(),
  lastError: z.string().nullable(),
  createdAt: isoTime,
  finishedAt: isoTime.nullable(),
});
export type JobView = z.infer<typeof jobViewSchema>;

/**
 * An issue a rule would have taken but did not page: the rule was paused by the safety valve or
 * needed attention (docs/rules.md). Kept, so nothing is lost.
 */
const skippedIssueViewSchema = z.strictObject({
  id: z.string(),
  rule: z.strictObject({ id: z.string(), name: z.string() }),
  issue: z.strictObject({ id: z.string(), label: z.string().nullable() }),
  reason: z.enum(['paused', 'needs_attention']),
  /** For people: "Rule "Urgent engineering" paused: Reached its limit of 20 incidents in an hour." */
  detail: z.string(),
  /** The delivery that brought the match, when one did. */
  deliveryId: z.string().nullable(),
  skippedAt: isoTime,
  /** When it was paged after all; null while not. */
  pagedAt: isoTime.nullable(),
});
export type SkippedIssueView = z.infer<typeof skippedIssueViewSchema>;

/** What the last finished reconciliation sweep did (docs/reconciliation.md). */
const sweepViewSchema = z.strictObject({
  startedAt: isoTime,
  finishedAt: isoTime,
  durationMs: z.number().int().nonnegative(),
  /** Open links whose two sides were read. */
  pairsChecked: z.number().int().nonnegative(),
  /** Drifts found and sent to be healed, by kind (issue_state, incident_status, note, comment, missed_create, …). */
  drifts: z.record(z.string(), z.number().int().nonnegative()),
  /** Requests the sweep itself sent, by provider (its rate share). */
  requests: z.record(z.string(), z.number().int().nonnegative()),
  /** Queue runs the sweep took (a large organisation is swept over several). */
  runs: z.number().int().nonnegative(),
});
export type SweepView = z.infer<typeof sweepViewSchema>;

/** One change the reconciliation found and healed: a webhook that never reached the hub. */
const healedViewSchema = z.strictObject({
  id: z.string(),
  at: isoTime,
  linkId: z.string(),
  issue: z.string(),
  incidentNumber: z.number().int().nullable(),
  summary: z.string(),
});
export type HealedView = z.infer<typeof healedViewSchema>;

/** Newest first; `limit` 1–100 (default 50); pass `nextCursor` back as `cursor` for the next page. */
const page = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};

/** Activity (docs/api.md § Activity): any logged-in user reads; replaying is for admins. */
export const activityApi = {
  /** GET /api/activity/deliveries?provider=&outcome=&cursor=&limit= */
  deliveries: endpoint({
    method: 'GET',
    path: '/api/activity/deliveries',
    query: z.strictObject({
      provider: providerSchema.optional(),
      outcome: z.enum(['received', 'processed', 'ignored', 'failed']).optional(),
      ...page,
    }),
    status: 200,
    response: z.strictObject({ deliveries: z.array(deliveryViewSchema), nextCursor: z.string().nullable() }),
  }),
  /** GET /api/activity/jobs?status=&kind=&cursor=&limit= */
  jobs: endpoint({
    method: 'GET',
    path: '/api/activity/jobs',
    query: z.strictObject({
      status: z.enum(['queued', 'running', 'succeeded', 'dead']).optional(),
      kind: z.string().trim().min(1).max(100).optional(),
      ...page,
    }),
    status: 200,
    response: z.strictObject({ jobs: z.array(jobViewSchema), nextCursor: z.string().nullable() }),
  }),
  /** GET /api/activity/skipped?rule=&cursor=&limit= — issues rules skipped (paused, needs attention). */
  skipped: endpoint({
    method: 'GET',
    path: '/api/activity/skipped',
    query: z.strictObject({ rule: z.string().trim().min(1).max(64).optional(), ...page }),
    status: 200,
    response: z.strictObject({ skipped: z.array(skippedIssueViewSchema), nextCursor: z.string().nullable() }),
  }),
  /**
   * GET /api/activity/reconciliation?cursor=&limit= — the organisation's reconciliation: the last
   * finished sweep, the sweep in progress, when the next is due, and what it healed, newest first.
   */
  reconciliation: endpoint({
    method: 'GET',
    path: '/api/activity/reconciliation',
    query: z.strictObject(page),
    status: 200,
    response: z.strictObject({
      lastSweep: sweepViewSchema.nullable(),
      inProgress: z.strictObject({ startedAt: isoTime, pairsChecked: z.number().int().nonnegative() }).nullable(),
      nextSweepAt: isoTime.nullable(),
      intervalSeconds: z.number().int().positive(),
      healed: z.array(healedViewSchema),
      nextCursor: z.string().nullable(),
    }),
  }),
  /**
   * POST /api/activity/reconciliation/run — admin: **Reconcile now** brings the organisation's
   * next sweep forward (it keeps its rate share). Answers the sweep job's id.
   */
  reconcileNow: endpoint({
    method: 'POST',
    path: '/api/activity/reconciliation/run',
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: z.strictObject({ jobId: z.string() }),
  }),
  /** POST /api/activity/jobs/:id/replay — admin: a dead job runs again with fresh attempts. 409 job_not_dead. */
  replayJob: endpoint({
    method: 'POST',
    path: '/api/activity/jobs/:id/replay',
    params: idParams,
    query: noQuery,
    status: 200,
    response: z.strictObject({ job: jobViewSchema }),
  }),
  /**
   * POST /api/activity/skipped/:id/page — admin: pages a skipped issue after all (Page now),
   * without asking the rule's safety valve again; the incident opens in the issue's lane.
   * Answers the job's id. 404 skip_not_found; 409 skip_paged_already.
   */
  pageSkipped: endpoint({
    method: 'POST',
    path: '/api/activity/skipped/:id/page',
    params: idParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: z.strictObject({ jobId: z.string() }),
  }),
};

export type DeliveriesResponse = ResponseBody<typeof activityApi.deliveries>;
export type JobsResponse = ResponseBody<typeof activityApi.jobs>;
export type JobResponse = ResponseBody<typeof activityApi.replayJob>;
export type SkippedResponse = ResponseBody<typeof activityApi.skipped>;
export type ReconciliationResponse = ResponseBody<typeof activityApi.reconciliation>;
export type PageSkippedResponse = ResponseBody<typeof activityApi.pageSkipped>;
export type SkippedQuery = Filters<ParsedQuery<typeof activityApi.skipped>>;
/** The filters a client may send to GET /api/activity/deliveries (unset ones are left out). */
export type DeliveriesQuery = Filters<ParsedQuery<typeof activityApi.deliveries>>;
export type JobsQuery = Filters<ParsedQuery<typeof activityApi.jobs>>;
