import { randomUUID } from 'node:crypto';
import type { Attachment } from '../state.js';
import type { Actor } from './actor.js';
import { entityNotFound, invalidInput } from './errors.js';
import type { DomainDeps } from './events.js';

/** Fields of AttachmentCreateInput the stand-in understands (graphql/schema/root.ts). */
export interface AttachmentCreate {
  id?: string | null;
  /** UUID or identifier ("ENG-12"). */
  issueId: string;
  url: string;
  title: string;
  subtitle?: string | null;
  iconUrl?: string | null;
  metadata?: Record<string, unknown> | null;
  groupBySource?: boolean | null;
}

/**
 * `attachmentCreate`: "Creates a new attachment, or updates existing if the same `url` and
 * `issueId` is used" (schema). An update keeps the attachment's id (a given `id` is then
 * ignored) and replaces title, and subtitle, icon and metadata when given.
 *
 * No webhook: attachments are their own resource type (`Attachment`, API-NOTES §2.3), which
 * the stand-in does not send; Issue and Comment webhooks are not told (undocumented either way).
 */
export function createAttachment(deps: DomainDeps, actor: Actor, input: AttachmentCreate): Attachment {
  const { state, clock } = deps;
  const orgId = actor.user.organizationId;
  const issue = state.issueByRef(orgId, input.issueId);
  if (!issue || issue.trashed) throw entityNotFound('Issue');
  const url = checkUrl(input.url);
  const title = input.title.trim();
  if (title === '') throw invalidInput('title must not be empty');
  const now = clock.now();
  const existing = state.attachmentsOf(issue.id).find((a) => a.url === url && !a.archivedAt);
  if (existing) {
    existing.title = title;
    if (input.subtitle !== undefined) existing.subtitle = input.subtitle;
    if (input.iconUrl !== undefined) existing.iconUrl = input.iconUrl;
    if (input.metadata != null) existing.metadata = { ...input.metadata };
    if (input.groupBySource != null) existing.groupBySource = input.groupBySource;
    existing.updatedAt = now;
    state.nextSyncId();
    return existing;
  }
  if (input.id && (!/^[0-9a-f-]{36}$/i.test(input.id) || state.attachments.has(input.id.toLowerCase()))) throw invalidInput('id must be a new UUID');
  const attachment: Attachment = {
    id: input.id?.toLowerCase() ?? randomUUID(),
    organizationId: orgId,
    issueId: issue.id,
    url,
    title,
    subtitle: input.subtitle ?? null,
    iconUrl: input.iconUrl ?? null,
    metadata: { ...(input.metadata ?? {}) },
    groupBySource: input.groupBySource ?? false,
    creatorId: actor.user.id,
    archivedAt: null,
    createdAt: now,
    updatedAt: now,
    seq: state.nextSeq(),
  };
  state.attachments.set(attachment.id, attachment);
  state.nextSyncId();
  return attachment;
}

/**
 * `attachmentLinkURL(issueId, url, title?, id?)`: "Link any URL to an issue"; without a matching
 * integration "a basic attachment is created" (schema) — the stand-in has no integrations, so this
 * is attachmentCreate with the URL as the title when none is given (Linear's title is not documented).
 */
export function linkUrl(deps: DomainDeps, actor: Actor, input: { issueId: string; url: string; title?: string | null; id?: string | null }): Attachment {
  return createAttachment(deps, actor, { issueId: input.issueId, url: input.url, title: input.title?.trim() ? input.title : input.url, id: input.id ?? null });
}

function checkUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // fall through
  }
  throw invalidInput('url must be a valid http(s) URL');
}
