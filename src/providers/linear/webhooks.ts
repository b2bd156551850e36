import type { ProviderWebhooks, RemoteWebhook } from '../webhooks.js';
import { createWebhook, deleteWebhook, enableWebhook, listWebhooks, type LinearWebhook } from './webhooks-api.js';
import { parseLinearDelivery, verifyLinearSignature } from './delivery.js';

/**
 * Linear team webhooks: people create one per team on the Webhooks tab; the hub makes the
 * signing secret and sends it with webhookCreate (Issue and Comment events). One Linear
 * disabled (after failed deliveries, or by hand) is turned on again with webhookUpdate.
 */
export const linearWebhooks: ProviderWebhooks = {
  scopeKind: 'team',
  managedBy: 'people',
  secretMadeBy: 'hub',
  words: {
    webhook: 'webhook',
    exists: (team) => `Team ${team} already has a hub webhook.`,
    missing: 'Linear no longer has this webhook (deleted in Linear?). Delete it here and create it again.',
  },
  deliveryIdHeader: 'linear-delivery',
  verify: verifyLinearSignature,
  parse: parseLinearDelivery,
  async create(request, { url, scope, secret }) {
    if (secret === undefined) throw new Error('A Linear webhook needs the secret the hub made.');
    return remote(await createWebhook(request, { url, teamId: scope.id, secret, label: 'Integration Hub' }));
  },
  async check(request) {
    return new Map((await listWebhooks(request)).map((webhook) => [webhook.id, remote(webhook)]));
  },
  async list(request) {
    return (await listWebhooks(request)).map((webhook) => ({ ...remote(webhook), url: webhook.url }));
  },
  remove: deleteWebhook,
  async enable(request, externalId) {
    const webhook = await enableWebhook(request, externalId);
    return webhook === undefined ? undefined : remote(webhook);
  },
};

function remote(webhook: LinearWebhook): RemoteWebhook {
  return webhook.enabled
    ? { id: webhook.id, status: 'active', detail: null, secret: null }
    : {
        id: webhook.id,
        status: 'disabled',
        detail: 'Linear disabled this webhook (after failed deliveries, or by hand). The hub turns it on again at its next check (or Refresh).',
        secret: null,
      };
}
