/** Two-way sync (src/sync/; migration 2026_12_04_0011_sync). */

export type IncidentStatusColumn = 'triggered' | 'acknowledged' | 'resolved';

/** One Linear issue the hub paged for and its current PagerDuty incident. */
export interface SyncLinksTable {
  id: string;
  organisation_id: string;
  rule_id: string;
  rule_name: string;
  issue_id: string;
  issue_identifier: string;
  issue_title: string;
  issue_url: string;
  team_id: string;
  /** JSON {id, name, type}: the issue's state as last seen. */
  issue_state: string | null;
  /** Null while the incident is being opened. */
  incident_id: string | null;
  incident_number: number | null;
  incident_url: string | null;
  service_id: string;
  service_name: string;
  incident_key: string;
  incident_status: IncidentStatusColumn | null;
  /** JSON {id, name}: the state the issue had before the hub first moved it (a reopen goes back there). */
  state_before_hub: string | null;
  /** JSON RuleSync: the rule's sync settings when the link was made. */
  sync_settings: string;
  /** The skipped record a person paged this from, if one. */
  opened_by_skip: string | null;
  last_in_at: number | null;
  last_out_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  /** Both sides done (incident resolved, issue completed/canceled) or the issue deleted. */
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

export type SyncWriteStatus = 'intended' | 'done' | 'echoed';

/** A write the hub makes upstream: recorded before the call (exactly once) and recognised when it echoes back. */
export interface SyncWritesTable {
  id: string;
  organisation_id: string;
  link_id: string;
  /** `incident`, `note`, `comment`, `attachment`, `issue_state`, `incident_status`. */
  kind: string;
  /** What the write mirrors or why it happens; unique per organisation and kind. */
  source_key: string;
  /** The upstream id (chosen by the hub before the call, or returned by it). */
  external_id: string | null;
  content_hash: string | null;
  /** The state or status the write sets (its echo shows it). */
  expected: string | null;
  status: SyncWriteStatus;
  created_at: number;
  done_at: number | null;
}

export type LedgerDirection = 'issue_to_incident' | 'incident_to_issue' | 'none';
export type LedgerEntryKind = 'received' | 'action' | 'echo' | 'skipped' | 'failed';

/** One line of a link's two-way timeline. */
export interface SyncLedgerTable {
  id: string;
  organisation_id: string;
  link_id: string;
  at: number;
  direction: LedgerDirection;
  entry: LedgerEntryKind;
  summary: string;
  delivery_id: string | null;
  job_id: string | null;
  /** 'reconciliation' on lines a reconciliation heal wrote; null for the live flow. */
  found_by: string | null;
}

/** Where an organisation's reconciliation sweep stands (src/reconcile/; migration 2026_12_06_0014). */
export interface ReconcileSweepsTable {
  organisation_id: string;
  started_at: number | null;
  cursor: string | null;
  issues_since: number | null;
  /** JSON SweepProgress. */
  progress: string;
  /** JSON {provider: epoch ms}. */
  pace: string;
  /** JSON SweepReport of the last finished sweep. */
  last_sweep: string | null;
  last_finished_at: number | null;
  updated_at: number;
}
