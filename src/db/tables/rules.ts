/** Rules and what they leave behind (src/rules/; migration 2026_12_04_0010_rules). */

export interface RulesTable {
  id: string;
  organisation_id: string;
  name: string;
  /** The name lower-cased: unique per organisation. */
  name_key: string;
  /** Evaluation order within the organisation: lower first, ties by id. */
  position: number;
  enabled: 0 | 1;
  paused_at: number | null;
  paused_reason: string | null;
  /** JSON: MissingReference[] (src/rules/rule.ts). */
  missing_references: string;
  team_id: string;
  service_id: string;
  /** JSON: the filters, routing, sync switches and last known names (src/rules/rules-repository.ts). */
  definition: string;
  incidents_per_hour: number;
  version: number;
  created_at: number;
  /** A user id; null when the hub itself made it. */
  created_by: string | null;
  updated_at: number;
  updated_by: string | null;
}

export interface RuleHistoryTable {
  id: string;
  organisation_id: string;
  rule_id: string;
  at: number;
  /** null: the hub itself (the safety valve, a reference check). */
  user_id: string | null;
  action: string;
  /** JSON: string[] — what changed, for people. */
  changes: string;
}

/** One incident a rule opened: the safety valve counts these over the last hour. */
export interface RulePagesTable {
  id: string;
  organisation_id: string;
  rule_id: string;
  issue_id: string;
  paged_at: number;
}

/** An issue a rule would have taken but skipped, and why. */
export interface RuleSkipsTable {
  id: string;
  organisation_id: string;
  rule_id: string;
  rule_name: string;
  issue_id: string;
  issue_label: string | null;
  reason: 'paused' | 'needs_attention';
  detail: string;
  delivery_id: string | null;
  skipped_at: number;
  /** When someone paged it from the record (null: not yet). */
  paged_at: number | null;
  paged_by: string | null;
}
