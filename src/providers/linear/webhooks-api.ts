import { ProviderRequestError } from '../errors.js';
import { linearGraphQL, type LinearRequest } from './api.js';

/** Linear webhooks over GraphQL (reference/linear/API-NOTES.md §2, §3): create, list, delete. Need the admin scope. */

/** Deletes a webhook; true when it existed. */
export async function deleteWebhook(request: LinearRequest, id: string): Promise<boolean> {
  try {
    const data = await linearGraphQL<{ webhookDelete: { success: boolean } }>(
      request,
      'mutation HubWebhookDelete($id: String!) { webhookDelete(id: $id) { success } }',
      { id },
    );
    return data.webhookDelete.success;
  } catch (error) {
    if (error instanceof ProviderRequestError && /not found/i.test(error.message)) return false;
    throw error;
  }
}

export interface LinearWebhook {
  id: string;
  enabled: boolean;
  url: string | null;
  teamId: string | null;
}

/** Creates a team webhook for Issue and Comment events, signed with `secret`. Needs the admin scope. */
export async function createWebhook(
  request: LinearRequest,
  input: { url: string; teamId: string; secret: string; label: string },
): Promise<LinearWebhook> {
  const data = await linearGraphQL<{ webhookCreate: { success: boolean; webhook: { id: string; enabled: boolean; url: string | null; team: { id: string } | null } | null } }>(
    request,
    `mutation HubWebhookCreate($url: String!, $teamId: String!, $secret: String!, $label: String!) {
      webhookCreate(input: { url: $url, teamId: $teamId, resourceTypes: ["Issue", "Comment"], secret: $secret, label: $label }) {
        success webhook { id enabled url team { id } }
      }
    }`,
    input,
  );
  const webhook = data.webhookCreate.webhook;
  if (!data.webhookCreate.success || webhook === null) throw new ProviderRequestError('linear', 'Linear did not create the webhook.', 200);
  return { id: webhook.id, enabled: webhook.enabled, url: webhook.url, teamId: webhook.team?.id ?? null };
}

/** Turns a disabled webhook back on (`webhookUpdate(enabled: true)`); undefined when Linear no longer has it. */
export async function enableWebhook(request: LinearRequest, id: string): Promise<LinearWebhook | undefined> {
  try {
    const data = await linearGraphQL<{ webhookUpdate: { success: boolean; webhook: { id: string; enabled: boolean; url: string | null; team: { id: string } | null } } }>(
      request,
      'mutation HubWebhookEnable($id: String!) { webhookUpdate(id: $id, input: { enabled: true }) { success webhook { id enabled url team { id } } } }',
      { id },
    );
    const webhook = data.webhookUpdate.webhook;
    return { id: webhook.id, enabled: webhook.enabled, url: webhook.url, teamId: webhook.team?.id ?? null };
  } catch (error) {
    if (error instanceof ProviderRequestError && /not found/i.test(error.message)) return undefined;
    throw error;
  }
}

/** Every webhook of the workspace (all pages). */
export async function listWebhooks(request: LinearRequest): Promise<LinearWebhook[]> {
  const webhooks: LinearWebhook[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const data: {
      webhooks: { nodes: Array<{ id: string; enabled: boolean; url: string | null; team: { id: string } | null }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = await linearGraphQL(
      request,
      'query HubWebhooks($after: String) { webhooks(first: 50, after: $after) { nodes { id enabled url team { id } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    webhooks.push(...data.webhooks.nodes.map((node) => ({ id: node.id, enabled: node.enabled, url: node.url, teamId: node.team?.id ?? null })));
    if (!data.webhooks.pageInfo.hasNextPage || data.webhooks.pageInfo.endCursor === null) break;
    after = data.webhooks.pageInfo.endCursor;
  }
  return webhooks;
}
