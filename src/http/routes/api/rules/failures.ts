/**
 * The statuses of what the rules module answers (rules/rules-service.ts), for httpFailure: the
 * one place the Rules API decides them (docs/api.md § Rules).
 */
export const RULE_STATUSES = {
  rule_not_found: 404,
  invalid_rule: 400,
  rule_name_taken: 409,
  rule_changed: 409,
  rules_changed: 409,
  rule_not_paused: 409,
  not_connected: 409,
  connection_disconnected: 409,
} as const;
