import { displayText, identityKey } from '../core/stored-text.js';
import type { ProviderEvent } from '../providers/events.js';
import type { NewDelivery } from './deliveries-repository.js';

/** The columns of a delivery that hold its event. */
export type StoredEvent = Pick<
  NewDelivery,
  | 'eventType' | 'eventKind' | 'entityType' | 'entityKind' | 'entityId' | 'entityLabel'
  | 'subjectKind' | 'subjectId' | 'actorId' | 'actorName' | 'occurredAt' | 'accountId'
>;

/** Bounds of the stored columns; see core/stored-text.ts. */
const MAX_ID = 200;
const MAX_TYPE = 100;
const MAX_LABEL = 300;
const id = (value: string) => identityKey(value, MAX_ID);

/**
 * A parsed event as it is stored: ids compared or indexed (entity, subject, actor, account)
 * go through identityKey — unchanged when short and clean, else hashed, never cut; text only
 * people read through displayText. Whatever a signed delivery contains, this can be written
 * on both databases (no NUL, bounded), so it never causes a 5xx.
 */
export function storedEvent(event: ProviderEvent): StoredEvent {
  const actorName = event.actor?.name ?? null;
  return {
    eventType: displayText(event.eventType, MAX_ID),
    eventKind: event.eventKind,
    entityType: displayText(event.entityType, MAX_TYPE),
    entityKind: event.entityKind,
    entityId: id(event.entityId),
    entityLabel: event.label === null ? null : displayText(event.label, MAX_LABEL),
    subjectKind: identityKey(event.subject.kind, MAX_TYPE),
    subjectId: id(event.subject.id),
    actorId: event.actor === null ? null : id(event.actor.id),
    actorName: actorName === null ? null : displayText(actorName, MAX_LABEL),
    occurredAt: event.occurredAt,
    accountId: event.accountId === null ? null : id(event.accountId),
  };
}
