import { z } from 'zod';
import { emptyBody, idParams, isoTime, noQuery } from './common.js';
import { endpoint, type RequestBody, type ResponseBody } from './endpoint.js';
import { ruleNameField } from './fields.js';

/**
 * Rules: which Linear issues page which PagerDuty service (docs/rules.md, docs/api.md § Rules).
 * Viewers read; admins change. Another organisation's rule id answers 404 rule_not_found.
 *
 * Refusals every changing endpoint shares:
 * - 400 invalid_body (the schema) or 400 invalid_rule: a reference the connected workspace or
 *   account does not have (the team has no hub webhook, an unknown service, a state, project or
 *   label not of the team/workspace); `details` lists each problem by field path
 *   (`filters.teamId`, `sync.resolvedStateId`, `filters.labelIds.1`, …).
 * - 409 rule_name_taken (details: [{path: "name"}]): names are unique per organisation,
 *   compared case-insensitively.
 * - 409 rule_changed: `version` is not the rule's current version (someone saved meanwhile);
 *   reload and edit again.
 * - 409 not_connected / connection_disconnected: creating and editing need both connections
 *   Connected (existing rules stay and resume with the connection); deleting and disabling do not.
 * - 502 provider_unavailable / 503 provider_rate_limited: the hub could not check the references.
 */

/** Linear priorities: 0 No priority, 1 Urgent, 2 High, 3 Medium, 4 Low. */
export const rulePrioritySchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export const ruleStatusTypeSchema = z.enum(['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled']);
export const ruleUrgencySchema = z.enum(['high', 'low', 'from_priority']);
export const incidentLinkAsSchema = z.enum(['attachment', 'comment']);
export type RuleStatusType = z.infer<typeof ruleStatusTypeSchema>;
export type RuleUrgencyChoice = z.infer<typeof ruleUrgencySchema>;

const upstreamId = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters');

/** A list without repeats, so "any of" lists and checkbox groups stay sets. */
const distinct = <T extends z.ZodType>(item: T, min: number, minMessage: string) =>
  z
    .array(item)
    .min(min, minMessage)
    .max(200, 'must list at most 200')
    .refine((values) => new Set(values).size === values.length, 'must not repeat a value');

/**
 * What a person sets in the rule form (create, and update with `version`). Ids are the
 * providers' ids; the server checks each against the connected workspace and account.
 */
export const ruleInputSchema = z.strictObject({
  name: ruleNameField,
  enabled: z.boolean().default(true),
  filters: z.strictObject({
    /** The form's **Webhook**: a Linear team that has a hub webhook. */
    teamId: upstreamId,
    priorities: distinct(rulePrioritySchema, 1, 'choose at least one priority'),
    statusTypes: distinct(ruleStatusTypeSchema, 1, 'choose at least one status type'),
    /** Empty: every project (and none). Otherwise the issue is in any one of them. */
    projectIds: distinct(upstreamId, 0, '').default([]),
    /** Empty: any labels. Otherwise the issue carries any one of them (team or workspace labels). */
    labelIds: distinct(upstreamId, 0, '').default([]),
  }),
  routing: z.strictObject({
    serviceId: upstreamId,
    urgency: ruleUrgencySchema,
    /** Only when the account has priorities (GET /api/rules/catalog/pagerduty says). */
    pagerdutyPriorityId: upstreamId.nullable().default(null),
  }),
  sync: z
    .strictObject({
      /** Absent: the team's first Started state (by position). */
      acknowledgedStateId: upstreamId.optional(),
      /** Absent: the team's first Completed state (by position). */
      resolvedStateId: upstreamId.optional(),
      commentsToNotes: z.boolean().default(true),
      notesToComments: z.boolean().default(true),
      resolveOnComplete: z.boolean().default(true),
      reopenOnReopen: z.boolean().default(true),
      postIncidentLink: z.boolean().default(true),
      /** How the link is posted: an attachment (default) or a comment. */
      incidentLinkAs: incidentLinkAsSchema.default('attachment'),
    })
    .default({ commentsToNotes: true, notesToComments: true, resolveOnComplete: true, reopenOnReopen: true, postIncidentLink: true, incidentLinkAs: 'attachment' }),
  incidentsPerHour: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(20),
});
export type RuleInput = z.input<typeof ruleInputSchema>;
export type ParsedRuleInput = z.output<typeof ruleInputSchema>;

/** Something upstream named as the hub last saw it (names are refreshed on every save and check). */
const namedSchema = z.strictObject({ id: z.string(), name: z.string() });
export type NamedRef = z.infer<typeof namedSchema>;

const personSchema = z.strictObject({ id: z.string(), name: z.string() }).nullable();

export const ruleViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** 1-based place in the evaluation order. */
  position: z.number().int().positive(),
  enabled: z.boolean(),
  /**
   * `active`; `paused` (the safety valve: `paused` says when and why; an admin resumes);
   * `needs_attention` (something it refers to is gone upstream: `missingReferences`; it pages
   * nothing until edited). Shown beside the enabled switch, whatever the switch says.
   */
  status: z.enum(['active', 'paused', 'needs_attention']),
  paused: z.strictObject({ at: isoTime, reason: z.string() }).nullable(),
  missingReferences: z.array(
    z.strictObject({
      kind: z.enum(['team', 'state', 'service', 'project', 'label', 'pagerduty_priority']),
      id: z.string(),
      /** The last name the hub saw; null if it never saw one. */
      name: z.string().nullable(),
    }),
  ),
  filters: z.strictObject({
    team: namedSchema,
    priorities: z.array(rulePrioritySchema),
    statusTypes: z.array(ruleStatusTypeSchema),
    projects: z.array(namedSchema),
    labels: z.array(namedSchema),
  }),
  routing: z.strictObject({
    service: namedSchema,
    urgency: ruleUrgencySchema,
    pagerdutyPriority: namedSchema.nullable(),
  }),
  sync: z.strictObject({
    acknowledgedState: namedSchema,
    resolvedState: namedSchema,
    commentsToNotes: z.boolean(),
    notesToComments: z.boolean(),
    resolveOnComplete: z.boolean(),
    reopenOnReopen: z.boolean(),
    postIncidentLink: z.boolean(),
    incidentLinkAs: incidentLinkAsSchema,
  }),
  incidentsPerHour: z.number().int(),
  /** Optimistic concurrency: send it back with an update; it grows by one on every change. */
  version: z.number().int().positive(),
  createdAt: isoTime,
  createdBy: personSchema,
  updatedAt: isoTime,
  updatedBy: personSchema,
});
export type RuleView = z.infer<typeof ruleViewSchema>;

/** One entry of a rule's history (newest first). */
const ruleHistoryEntrySchema = z.strictObject({
  at: isoTime,
  /** null: the hub itself (the safety valve, a reference check). */
  by: personSchema,
  action: z.enum(['created', 'updated', 'enabled', 'disabled', 'moved', 'paused', 'resumed', 'needs_attention', 'references_restored', 'imported', 'deleted']),
  /** For people: what changed ("Service: Checkout → Payments", "Paused: 20 incidents in an hour"). */
  changes: z.array(z.string()),
});
export type RuleHistoryEntry = z.infer<typeof ruleHistoryEntrySchema>;

/** Why rules cannot be created or edited now (null when they can). */
const rulesBlockedBySchema = z
  .strictObject({ code: z.enum(['not_connected', 'connection_disconnected', 'no_team_webhook']), message: z.string() })
  .nullable();

/** One issue of a dry-run (Test rule). */
const dryRunIssueSchema = z.strictObject({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  url: z.string(),
  priority: z.number(),
  state: z.strictObject({ name: z.string(), type: z.string() }),
  /** True only when this rule would open an incident for the issue now. */
  wouldPage: z.boolean(),
  /** The urgency the incident would get (when it would page). */
  urgency: z.enum(['high', 'low']).nullable(),
  /**
   * Why this rule would not take the issue: the first filter it fails, in the form's order
   * (`team`, `priority`, `status_type`, `project`, `label`), else the rule's state (`disabled`,
   * `needs_attention`, `paused`); null when it would.
   */
  excludedBy: z.enum(['team', 'priority', 'status_type', 'project', 'label', 'disabled', 'needs_attention', 'paused']).nullable(),
  /** An earlier rule in the order that takes the issue first. */
  earlierRule: namedSchema.nullable(),
  /** The issue has an open incident already (nothing pages it twice). */
  alreadyPaging: z.boolean(),
});
export type DryRunIssue = z.infer<typeof dryRunIssueSchema>;

const dryRunResponseSchema = z.strictObject({
  team: namedSchema,
  /** The team's most recently updated issues, newest first (at most 50). */
  issues: z.array(dryRunIssueSchema),
  /** How many of them would page. */
  wouldPage: z.number().int().nonnegative(),
});
export type DryRunResponse = z.infer<typeof dryRunResponseSchema>;

/** A rule in the portable export: every reference by id and by name (teams also by key). */
const portableRuleSchema = z.strictObject({
  name: ruleNameField,
  enabled: z.boolean(),
  filters: z.strictObject({
    team: z.strictObject({ id: z.string().optional(), key: z.string().optional(), name: z.string().optional() }),
    priorities: z.array(rulePrioritySchema),
    statusTypes: z.array(ruleStatusTypeSchema),
    projects: z.array(z.strictObject({ id: z.string().optional(), name: z.string().optional() })),
    labels: z.array(z.strictObject({ id: z.string().optional(), name: z.string().optional() })),
  }),
  routing: z.strictObject({
    service: z.strictObject({ id: z.string().optional(), name: z.string().optional() }),
    urgency: ruleUrgencySchema,
    pagerdutyPriority: z.strictObject({ id: z.string().optional(), name: z.string().optional() }).nullable(),
  }),
  sync: z.strictObject({
    acknowledgedState: z.strictObject({ id: z.string().optional(), name: z.string().optional() }),
    resolvedState: z.strictObject({ id: z.string().optional(), name: z.string().optional() }),
    commentsToNotes: z.boolean(),
    notesToComments: z.boolean(),
    resolveOnComplete: z.boolean(),
    reopenOnReopen: z.boolean(),
    postIncidentLink: z.boolean(),
    /** Absent in files exported before it existed: an attachment. */
    incidentLinkAs: incidentLinkAsSchema.optional(),
  }),
  incidentsPerHour: z.number().int().min(1).max(1000),
});
export type PortableRule = z.infer<typeof portableRuleSchema>;

/**
 * The export file. An import resolves each reference by id first, then by name (team: key, then
 * name; names compared case-insensitively), so a file moves between organisations and survives
 * renames.
 */
export const rulesDocumentSchema = z.strictObject({
  format: z.literal('integration-hub/rules'),
  version: z.literal(1),
  exportedAt: isoTime.optional(),
  rules: z.array(portableRuleSchema).max(500, 'must hold at most 500 rules'),
});
export type RulesDocument = z.infer<typeof rulesDocumentSchema>;

/** What an import does to each rule of the file (matched to existing rules by name). */
const importPlanEntrySchema = z.strictObject({
  name: z.string(),
  action: z.enum(['create', 'update', 'unchanged']),
  /** The rule it updates; null when it creates one. */
  ruleId: z.string().nullable(),
  /** For people: the differences an update makes. */
  changes: z.array(z.string()),
});

const importResponseSchema = z.strictObject({
  /** False for a dry run (`apply: false`): nothing was written. */
  applied: z.boolean(),
  plan: z.array(importPlanEntrySchema),
});
export type ImportResponse = z.infer<typeof importResponseSchema>;

/** The Linear team's choices for the form, read live from Linear (every page). */
const teamCatalogSchema = z.strictObject({
  team: namedSchema,
  /** Workflow states by type, then position (the form groups them by type). */
  states: z.array(z.strictObject({ id: z.string(), name: z.string(), type: z.string(), position: z.number() })),
  projects: z.array(namedSchema),
  /** The team's labels and the workspace's labels. */
  labels: z.array(z.strictObject({ id: z.string(), name: z.string(), scope: z.enum(['team', 'workspace']) })),
});
export type TeamCatalog = z.infer<typeof teamCatalogSchema>;

const pagerdutyCatalogSchema = z.strictObject({
  /** Every service of the account, by name. */
  services: z.array(namedSchema),
  /** null: the account has no priorities (the form hides the field). */
  priorities: z.array(namedSchema).nullable(),
});
export type PagerDutyCatalog = z.infer<typeof pagerdutyCatalogSchema>;

export const rulesApi = {
  /**
   * GET /api/rules — the rules in evaluation order, the checklist of what rules need, and why
   * they cannot be edited now (blockedBy).
   */
  list: endpoint({
    method: 'GET',
    path: '/api/rules',
    query: noQuery,
    status: 200,
    response: z.strictObject({
      checklist: z.strictObject({
        pagerdutyConnected: z.boolean(),
        linearConnected: z.boolean(),
        /** Teams that have a hub webhook (the form's Webhook choices). */
        teamWebhooks: z.array(namedSchema),
      }),
      blockedBy: rulesBlockedBySchema,
      rules: z.array(ruleViewSchema),
    }),
  }),
  /** GET /api/rules/:id — one rule and its history. */
  get: endpoint({
    method: 'GET',
    path: '/api/rules/:id',
    params: idParams,
    query: noQuery,
    status: 200,
    response: z.strictObject({ rule: ruleViewSchema, history: z.array(ruleHistoryEntrySchema) }),
  }),
  /** POST /api/rules — admin: creates a rule at the end of the order. */
  create: endpoint({
    method: 'POST',
    path: '/api/rules',
    query: noQuery,
    body: ruleInputSchema,
    status: 201,
    response: z.strictObject({ rule: ruleViewSchema }),
  }),
  /** PATCH /api/rules/:id — admin: replaces the rule's settings (the whole form) at `version`. */
  update: endpoint({
    method: 'PATCH',
    path: '/api/rules/:id',
    params: idParams,
    query: noQuery,
    body: ruleInputSchema.extend({ version: z.number().int().positive() }),
    status: 200,
    response: z.strictObject({ rule: ruleViewSchema }),
  }),
  /** DELETE /api/rules/:id — admin. Its service's subscription is released when no rule uses it. */
  remove: endpoint({ method: 'DELETE', path: '/api/rules/:id', params: idParams, query: noQuery, status: 204, response: null }),
  /**
   * POST /api/rules/reorder — admin: the new evaluation order, every rule's id once.
   * 409 rules_changed when the ids are not exactly the organisation's rules (reload).
   */
  reorder: endpoint({
    method: 'POST',
    path: '/api/rules/reorder',
    query: noQuery,
    body: z.strictObject({ order: z.array(z.string().min(1).max(64)).max(1000) }),
    status: 200,
    response: z.strictObject({ rules: z.array(ruleViewSchema) }),
  }),
  /** POST /api/rules/:id/enable — admin (needs both connections Connected, as editing does). */
  enable: endpoint({
    method: 'POST',
    path: '/api/rules/:id/enable',
    params: idParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: z.strictObject({ rule: ruleViewSchema }),
  }),
  /** POST /api/rules/:id/disable — admin. */
  disable: endpoint({
    method: 'POST',
    path: '/api/rules/:id/disable',
    params: idParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: z.strictObject({ rule: ruleViewSchema }),
  }),
  /** POST /api/rules/:id/resume — admin: ends a safety-valve pause (409 rule_not_paused otherwise). */
  resume: endpoint({
    method: 'POST',
    path: '/api/rules/:id/resume',
    params: idParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: z.strictObject({ rule: ruleViewSchema }),
  }),
  /**
   * POST /api/rules/test — any user: the dry-run of unsaved form values, placed after the last
   * rule; with `ruleId` (editing a saved rule) in that rule's place instead, so the saved version
   * of the same rule is not reported as the earlier rule that takes every issue.
   */
  testDraft: endpoint({
    method: 'POST',
    path: '/api/rules/test',
    query: noQuery,
    body: ruleInputSchema.extend({ ruleId: z.string().min(1).max(64).optional() }),
    status: 200,
    response: dryRunResponseSchema,
  }),
  /** POST /api/rules/:id/test — any user: the dry-run of a saved rule where it stands in the order. */
  test: endpoint({
    method: 'POST',
    path: '/api/rules/:id/test',
    params: idParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: dryRunResponseSchema,
  }),
  /** GET /api/rules/export — any user: every rule, portable (download as a file). */
  export: endpoint({ method: 'GET', path: '/api/rules/export', query: noQuery, status: 200, response: rulesDocumentSchema }),
  /**
   * POST /api/rules/import — admin. `apply: false` answers the plan only; `apply: true` applies it
   * in one transaction (all or nothing). Rules are matched by name: a match is updated, the rest
   * created at the end of the order in file order; rules not in the file are left alone.
   * 400 invalid_rule: details name every reference that did not resolve (`rules.2.routing.service`).
   */
  import: endpoint({
    method: 'POST',
    path: '/api/rules/import',
    query: noQuery,
    body: z.strictObject({ document: rulesDocumentSchema, apply: z.boolean() }),
    status: 200,
    response: importResponseSchema,
  }),
  /** GET /api/rules/catalog/teams/:id — any user: a team's states, projects and labels (live). */
  teamCatalog: endpoint({
    method: 'GET',
    path: '/api/rules/catalog/teams/:id',
    params: idParams,
    query: noQuery,
    status: 200,
    response: teamCatalogSchema,
  }),
  /** GET /api/rules/catalog/pagerduty — any user: the account's services and priorities (live). */
  pagerdutyCatalog: endpoint({
    method: 'GET',
    path: '/api/rules/catalog/pagerduty',
    query: noQuery,
    status: 200,
    response: pagerdutyCatalogSchema,
  }),
};

export type RulesResponse = ResponseBody<typeof rulesApi.list>;
export type RuleResponse = ResponseBody<typeof rulesApi.get>;
export type CreateRuleRequest = RequestBody<typeof rulesApi.create>;
export type UpdateRuleRequest = RequestBody<typeof rulesApi.update>;
export type ImportRulesRequest = RequestBody<typeof rulesApi.import>;
export type TestRuleDraftRequest = RequestBody<typeof rulesApi.testDraft>;
