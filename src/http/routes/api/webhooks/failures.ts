/**
 * The statuses of what the webhooks module answers (webhooks/webhooks-service.ts), for
 * httpFailure: the one place the Webhooks API decides them.
 */
export const WEBHOOK_STATUSES = {
  not_connected: 409,
  connection_disconnected: 409,
  webhook_exists: 409,
  webhook_missing: 409,
  not_found: 404,
  team_not_found: 404,
  service_not_found: 404,
} as const;
