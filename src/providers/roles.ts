import type { ProviderName } from './names.js';
import type { ProviderRequest } from './request.js';

/**
 * The two parts a provider plays in the product (SPEC §1): an **issue tracker** whose issues
 * rules watch (Linear) and an **incident pager** whose services rules page (PagerDuty). Rules
 * and sync talk to these roles, never to a vendor by name; the registry says which provider
 * plays which (registry.ts `providers.issueTracker()` / `providers.incidentPager()`).
 *
 * Every list reads every page. A team or service that no longer exists answers null where the
 * function says so, so callers can tell "gone upstream" (a rule needs attention) from "empty".
 */

/** A workflow state of a team (`type` is the tracker's raw state type: triage, backlog, …). */
export interface TrackerState {
  id: string;
  name: string;
  type: string;
  /** The team's order within a type (Linear `WorkflowState.position`). */
  position: number;
}

export interface TrackerNamed {
  id: string;
  name: string;
}

export interface TrackerLabel extends TrackerNamed {
  /** A label of the team, or of the whole workspace (usable in every team). */
  scope: 'team' | 'workspace';
}

/** What rules (and later sync) read of one issue. */
export interface TrackerIssue {
  id: string;
  /** ENG-123 */
  identifier: string;
  title: string;
  url: string;
  teamId: string;
  /** 0 No priority, 1 Urgent … 4 Low (raw; Linear sends a Float). */
  priority: number;
  state: { id: string; name: string; type: string };
  projectId: string | null;
  labelIds: string[];
  /** Epoch milliseconds. */
  updatedAt: number;
}

export interface IssueTracker {
  provider: ProviderName;
  /** The team's workflow states; null when the team does not exist (or is not visible). */
  teamStates(request: ProviderRequest, teamId: string): Promise<TrackerState[] | null>;
  /** The team's projects; null when the team does not exist. */
  teamProjects(request: ProviderRequest, teamId: string): Promise<TrackerNamed[] | null>;
  /** The team's labels and the workspace's labels; null when the team does not exist. */
  teamLabels(request: ProviderRequest, teamId: string): Promise<TrackerLabel[] | null>;
  /** The team's most recently updated issues, newest first (at most `limit`, ≤ 250). */
  recentIssues(request: ProviderRequest, teamId: string, limit: number): Promise<TrackerIssue[]>;
  /** Two-way sync's reads and writes. */
  sync: IssueSync;
}

export interface IncidentPager {
  provider: ProviderName;
  /** One service by id; null when it does not exist. */
  service(request: ProviderRequest, serviceId: string): Promise<TrackerNamed | null>;
  /** The account's incident priorities; null when the account has none (not enabled or not in its plan). */
  priorities(request: ProviderRequest): Promise<TrackerNamed[] | null>;
  /** Two-way sync's reads and writes. */
  sync: IncidentSync;
}

/*
 * What two-way sync (issue 11) asks of each role. Writes are idempotent where the vendor allows
 * it: a comment carries the id the hub chose (a second create with that id answers `exists`), an
 * attachment is an upsert by URL, an incident carries the hub's `incidentKey` (a second create
 * while it is open answers `duplicate_key`, and `incidentByKey` finds it).
 */

/** An issue as sync reads it: the matcher's facts plus what the incident body and ledger show. */
export interface TrackedIssue extends TrackerIssue {
  /** Markdown; null when empty. */
  description: string | null;
  team: { id: string; key: string; name: string };
  /** Epoch ms; null while not archived/deleted (an archived or trashed issue counts as deleted). */
  archivedAt: number | null;
}

export interface TrackerComment {
  id: string;
  issueId: string;
  /** Markdown. */
  body: string;
  /** Who wrote it; null for an integration without a user. */
  author: { id: string; name: string } | null;
  url: string;
  /** Epoch ms. */
  createdAt: number;
}

export interface NewTrackerComment {
  /** The hub's UUID for it, chosen before the call (exactly once). */
  id: string;
  issueId: string;
  body: string;
  /** Show it as written by this person (OAuth app actors only; ignored otherwise). */
  createAsUser?: string;
  displayIconUrl?: string;
  /** Backdate to the original time (epoch ms). Linear refuses a time that is not in the past. */
  createdAt?: number;
}

/** An issue as the reconciliation reads it in a batch: with the comments made since a time. */
export interface SweptIssue extends TrackedIssue {
  /** Comments created after the time asked (ids and epoch ms), at most 50 per read. */
  comments: Array<{ id: string; createdAt: number }>;
}

export interface IssueSync {
  /**
   * The reconciliation's batch read (at most 50 ids): the issues Linear knows among them,
   * deleted ones included (archivedAt set), each with the comments created after `commentsSince`.
   * An id missing from the answer is an issue that no longer exists.
   */
  issuesByIds(request: ProviderRequest, ids: readonly string[], commentsSince: number): Promise<SweptIssue[]>;
  /** The team's issues updated after `since` (epoch ms), every page, at most `max`. */
  updatedIssues(request: ProviderRequest, teamId: string, since: number, max: number): Promise<TrackerIssue[]>;
  /** null when the issue does not exist (deleted, or not visible). */
  issue(request: ProviderRequest, issueId: string): Promise<TrackedIssue | null>;
  /** Moves the issue to the state (a no-op when it is there already). */
  moveIssue(request: ProviderRequest, issueId: string, stateId: string): Promise<void>;
  /** `exists`: a comment with this id exists already (an earlier try made it). */
  createComment(request: ProviderRequest, comment: NewTrackerComment): Promise<'created' | 'exists'>;
  comment(request: ProviderRequest, commentId: string): Promise<TrackerComment | null>;
  /** Links a URL on the issue (an upsert by URL: a second call changes nothing). */
  attachLink(request: ProviderRequest, link: { issueId: string; url: string; title: string; subtitle?: string }): Promise<void>;
}

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface PagedIncident {
  id: string;
  number: number;
  title: string;
  url: string;
  status: IncidentStatus;
  service: { id: string; name: string };
  incidentKey: string | null;
  /** Set when the incident was resolved by merging it into another: the surviving incident's id. */
  mergedInto: string | null;
}

export interface IncidentNote {
  id: string;
  content: string;
  /** Who wrote it; null when PagerDuty does not say. */
  author: { id: string; name: string } | null;
  /** Epoch ms. */
  createdAt: number;
}

export interface NewIncident {
  serviceId: string;
  title: string;
  /** Plain text/Markdown details (PagerDuty `body.details`). */
  details: string;
  urgency: 'high' | 'low';
  priorityId: string | null;
  incidentKey: string;
}

export interface IncidentSync {
  /** `duplicate_key`: an open incident with this key exists on the service (find it by key). */
  createIncident(request: ProviderRequest, incident: NewIncident): Promise<PagedIncident | 'duplicate_key'>;
  incidentByKey(request: ProviderRequest, incidentKey: string): Promise<PagedIncident | null>;
  incident(request: ProviderRequest, incidentId: string): Promise<PagedIncident | null>;
  /** Sets the status; setting the status it has already is not an error (vendors differ). */
  setIncidentStatus(request: ProviderRequest, incidentId: string, status: IncidentStatus, resolution?: string): Promise<void>;
  addNote(request: ProviderRequest, incidentId: string, content: string): Promise<IncidentNote>;
  notes(request: ProviderRequest, incidentId: string): Promise<IncidentNote[]>;
}
