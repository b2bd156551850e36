import { randomBytes, randomUUID } from 'node:crypto';
import type { Webhook } from '../state.js';
import type { Actor } from './actor.js';
import { entityNotFound, invalidInput } from './errors.js';
import type { DomainDeps } from './events.js';

/**
 * Webhook administration (API-NOTES §2.3, §3.1). Scope and role checks happen in the caller
 * (graphql/guards.ts); these functions check the input only.
 */

/** WebhookResourceType values in the schema snapshot (API-NOTES §2.3). Only Issue and Comment are ever sent. */
export const RESOURCE_TYPES = new Set([
  'AgentSessionEvent', 'AppUserNotification', 'Attachment', 'Comment', 'Customer', 'CustomerNeed', 'Cycle', 'Document',
  'Initiative', 'InitiativeUpdate', 'Issue', 'IssueLabel', 'IssueSLA', 'OAuthAuthorization', 'PermissionChange', 'Project',
  'ProjectLabel', 'ProjectUpdate', 'Reaction', 'Release', 'ReleaseNote', 'User',
]);

export interface WebhookCreate {
  id?: string | null;
  url: string;
  resourceTypes: string[];
  teamId?: string | null;
  allPublicTeams?: boolean | null;
  label?: string | null;
  secret?: string | null;
  enabled?: boolean | null;
}

export type WebhookUpdate = Partial<Pick<WebhookCreate, 'url' | 'resourceTypes' | 'label' | 'secret' | 'enabled'>>;

/** A signing secret in Linear's style when the caller gives none (read it back from `webhook.secret`). */
export function newWebhookSecret(): string {
  return `lin_wh_${randomBytes(24).toString('base64url')}`;
}

export function createWebhook(deps: DomainDeps, actor: Actor, input: WebhookCreate): Webhook {
  const { state, clock } = deps;
  const orgId = actor.user.organizationId;
  const team = input.teamId ? state.teamByRef(orgId, input.teamId) : undefined;
  if (input.teamId && (!team || team.archivedAt)) throw entityNotFound('Team');
  if (!team && !input.allPublicTeams) throw invalidInput('either teamId or allPublicTeams is required');
  if (input.id && (state.webhooks.has(input.id) || !/^[0-9a-f-]{36}$/i.test(input.id))) throw invalidInput('id must be a new UUID');
  const now = clock.now();
  const webhook: Webhook = {
    id: input.id ?? randomUUID(),
    organizationId: orgId,
    url: checkUrl(input.url),
    label: input.label ?? null,
    // An empty secret counts as none: `||`, not `??`.
    // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
    secret: input.secret || newWebhookSecret(),
    enabled: input.enabled ?? true,
    resourceTypes: checkResourceTypes(input.resourceTypes),
    teamId: team?.id ?? null,
    allPublicTeams: !team && Boolean(input.allPublicTeams),
    creatorId: actor.user.id,
    createdAt: now,
    updatedAt: now,
    seq: state.nextSeq(),
  };
  state.webhooks.set(webhook.id, webhook);
  state.nextSyncId();
  return webhook;
}

export function updateWebhook(deps: DomainDeps, actor: Actor, id: string, patch: WebhookUpdate): Webhook {
  const webhook = find(deps, actor, id);
  if (patch.url != null) webhook.url = checkUrl(patch.url);
  if (patch.resourceTypes != null) webhook.resourceTypes = checkResourceTypes(patch.resourceTypes);
  if (patch.label !== undefined) webhook.label = patch.label;
  if (patch.secret) webhook.secret = patch.secret;
  if (patch.enabled != null) webhook.enabled = patch.enabled;
  if (!webhook.enabled) deps.forgetDeliveries(webhook.id);
  webhook.updatedAt = deps.clock.now();
  deps.state.nextSyncId();
  return webhook;
}

export function deleteWebhook(deps: DomainDeps, actor: Actor, id: string): Webhook {
  const webhook = find(deps, actor, id);
  deps.state.webhooks.delete(webhook.id);
  deps.forgetDeliveries(webhook.id);
  deps.state.nextSyncId();
  return webhook;
}

/** The old secret stops working at once (API-NOTES §2.3). */
export function rotateWebhookSecret(deps: DomainDeps, actor: Actor, id: string): Webhook {
  const webhook = find(deps, actor, id);
  webhook.secret = newWebhookSecret();
  webhook.updatedAt = deps.clock.now();
  deps.state.nextSyncId();
  return webhook;
}

function find(deps: DomainDeps, actor: Actor, id: string): Webhook {
  const webhook = deps.state.webhooks.get(id);
  if (webhook?.organizationId !== actor.user.organizationId) throw entityNotFound('Webhook');
  return webhook;
}

/**
 * Linear requires a public HTTPS URL (API-NOTES §3.1); the stand-in also accepts http:// and
 * localhost, because the hub it serves runs on a laptop.
 */
function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput('url must be a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalidInput('url must use http or https');
  return url;
}

function checkResourceTypes(types: string[]): string[] {
  if (types.length === 0) throw invalidInput('resourceTypes must not be empty');
  for (const t of types) if (!RESOURCE_TYPES.has(t)) throw invalidInput(`unknown resource type ${t}`);
  return [...new Set(types)];
}
