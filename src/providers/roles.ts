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
}

export interface IncidentPager {
  provider: ProviderName;
  /** One service by id; null when it does not exist. */
  service(request: ProviderRequest, serviceId: string): Promise<TrackerNamed | null>;
  /** The account's incident priorities; null when the account has none (not enabled or not in its plan). */
  priorities(request: ProviderRequest): Promise<TrackerNamed[] | null>;
}
