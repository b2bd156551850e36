import { Counter, type Registry } from 'prom-client';

/**
 * Webhook repair's metric (issue 12 item 6), on the hub's registry:
 * - `hub_webhooks_repaired_total{provider}` — repairs made: a webhook re-created or re-enabled,
 *   an orphan adopted or removed, a record of a deleted one dropped (webhooks/repair-webhooks.ts).
 */
export interface WebhookMetrics {
  repaired: Counter<'provider'>;
}

export function registerWebhookMetrics(registry: Registry): WebhookMetrics {
  return {
    repaired: new Counter({ name: 'hub_webhooks_repaired_total', help: 'Webhook repairs made (re-created, re-enabled, orphans adopted or removed), by provider', labelNames: ['provider'] as const, registers: [registry] }),
  };
}
