import type { PdContext } from '../context.js';
import { pdError } from '../errors.js';
import type { Actor, Incident, IncidentStatus, Note, Urgency } from '../model.js';
import { resolvePriority } from './priorities.js';
import { isStatus, TRANSITIONS } from './transitions.js';

export interface IncidentChanges {
  status?: string;
  resolution?: string;
  /** A priority id or name; null clears it. */
  priority?: string | null;
  urgency?: Urgency;
  title?: string;
  assigneeIds?: string[];
  escalationPolicyId?: string;
  escalationLevel?: number;
  /** Move to another service of the account (emits incident.service_updated). */
  serviceId?: string;
}

/**
 * PUT /incidents/{id} semantics (API-NOTES §2.5, §5.12), shared by REST, the responder page and
 * the control API. Validates everything before changing anything, then emits the status event
 * first and the other events (priority_updated, reassigned, delegated, escalated) after it.
 */
export function updateIncident(ctx: PdContext, incident: Incident, changes: IncidentChanges, actor: Actor): Incident {
  const { state } = ctx;
  const events: string[] = [];
  let next: IncidentStatus | undefined;
  if (changes.status !== undefined) {
    if (!isStatus(changes.status)) throw pdError.transition(1003, `Invalid status: ${changes.status}`);
    const t = TRANSITIONS[incident.status][changes.status];
    // The same status again: refused, or a no-op, per the sameStatusUpdate setting.
    const unchanged = changes.status === incident.status && state.settings.sameStatusUpdate === 'ok';
    if ('error' in t && !unchanged) throw pdError.transition(t.error, t.detail);
    if ('event' in t) {
      next = changes.status;
      events.push(t.event);
    }
  }
  const oldService = state.services.get(incident.serviceId)!;
  const newService = changes.serviceId === undefined || changes.serviceId === incident.serviceId ? undefined : state.serviceIn(changes.serviceId, incident.account);
  if (changes.serviceId !== undefined && changes.serviceId !== incident.serviceId && !newService) throw pdError.argumentsError(`Service not found: ${changes.serviceId}`);
  const priority = changes.priority === undefined || changes.priority === null ? changes.priority : resolvePriority(state, incident.account, changes.priority);
  const assignees = changes.assigneeIds?.map((id) => state.inAccount(state.users, id, incident.account));
  if (assignees?.some((u) => !u)) throw pdError.invalidInput('Assignee not found');
  const policy = changes.escalationPolicyId === undefined ? undefined : state.inAccount(state.escalationPolicies, changes.escalationPolicyId, incident.account);
  if (changes.escalationPolicyId !== undefined && !policy) throw pdError.invalidInput(`Escalation policy not found: ${changes.escalationPolicyId}`);

  const now = ctx.clock.now();
  const wasResolved = incident.status === 'resolved';
  if (next !== undefined) applyStatus(incident, next, actor, now, changes.resolution);
  if (wasResolved && next === 'triggered' && !assignees && !policy) {
    // Reopened as triggered: assigned by the current escalation policy (§2.5).
    const current = state.escalationPolicies.get(incident.escalationPolicyId)!;
    incident.assignments = current.userIds.slice(0, 1).map((userId) => ({ userId, at: now }));
    incident.assignedVia = 'escalation_policy';
  }
  if (newService) {
    // The incident follows the new service's escalation policy (a stand-in choice; PagerDuty does
    // not document re-assignment on a service move, so assignments stay as they are).
    incident.serviceId = newService.id;
    if (!policy) incident.escalationPolicyId = newService.escalationPolicyId;
    events.push('incident.service_updated');
  }
  if (changes.title !== undefined) incident.title = changes.title;
  if (changes.urgency !== undefined) incident.urgency = changes.urgency;
  if (priority !== undefined && (priority?.id ?? null) !== incident.priorityId) {
    incident.priorityId = priority?.id ?? null;
    events.push('incident.priority_updated');
  }
  if (assignees && incident.status !== 'resolved') {
    incident.assignments = assignees.map((u) => ({ userId: u!.id, at: now }));
    incident.assignedVia = 'direct_assignment';
    events.push('incident.reassigned');
  }
  if (policy && policy.id !== incident.escalationPolicyId) {
    incident.escalationPolicyId = policy.id;
    if (!assignees && incident.status !== 'resolved') incident.assignments = policy.userIds.slice(0, 1).map((userId) => ({ userId, at: now }));
    incident.assignedVia = 'escalation_policy';
    events.push('incident.delegated');
  }
  if (changes.escalationLevel !== undefined) events.push('incident.escalated');
  incident.updatedAt = now;
  for (const type of events) {
    const moved = type === 'incident.service_updated' && state.settings.serviceUpdatedDelivery === 'old_and_new' ? { previousServiceId: oldService.id } : {};
    ctx.webhooks.emit({ type, incident, actor, ...moved });
  }
  return incident;
}

function applyStatus(incident: Incident, next: IncidentStatus, actor: Actor, now: number, resolution: string | undefined): void {
  const reopening = incident.status === 'resolved';
  incident.status = next;
  incident.lastStatusChangeAt = now;
  incident.lastStatusChangeBy = actor.userId;
  if (next === 'resolved') {
    // Assignments are cleared on resolve; acknowledgements exist only while acknowledged (§2.4).
    incident.resolvedAt = now;
    incident.resolution = resolution ?? null;
    incident.assignments = [];
    incident.acknowledgements = [];
    return;
  }
  if (reopening) {
    incident.resolvedAt = null;
    incident.reopenedAt = now;
    incident.resolution = null;
    incident.mergedInto = null;
  }
  if (next === 'acknowledged') {
    if (actor.userId) {
      incident.acknowledgements = [{ userId: actor.userId, at: now }];
      // Reopened as acknowledged: assigned to the current user (§2.5).
      if (reopening || incident.assignments.length === 0) incident.assignments = [{ userId: actor.userId, at: now }];
    }
    return;
  }
  incident.acknowledgements = [];
}

/** POST /incidents/{id}/notes semantics (§2.6, §5.13): caps, then incident.annotated. */
export function addNote(ctx: PdContext, incident: Incident, content: string, actor: Actor): Note {
  const { settings } = ctx.state;
  if (content.trim() === '') throw pdError.invalidInput('Note content must not be empty');
  if (settings.noteMaxLength !== null && content.length > settings.noteMaxLength) {
    throw pdError.invalidInput(`Note content is too long (maximum is ${settings.noteMaxLength} characters)`);
  }
  if (incident.notes.length >= settings.maxNotesPerIncident) {
    throw pdError.argumentsError(`Incident has reached the maximum number of notes (${settings.maxNotesPerIncident})`);
  }
  const note: Note = { id: ctx.state.nextId('PN'), userId: actor.userId, content, createdAt: ctx.clock.now() };
  incident.notes.push(note);
  incident.updatedAt = note.createdAt;
  ctx.webhooks.emit({ type: 'incident.annotated', incident, actor, note });
  return note;
}

/**
 * PUT /incidents/{id}/merge semantics (OAS mergeIncidents): the target must be open; every source
 * must be another open incident of the account. Sources are resolved with `resolve_reason`
 * `merge_resolve_reason` naming the target, each emitting `incident.resolved`. Not modelled:
 * alerts (the stand-in's incidents have none, so the OAS's "only incidents that have alerts or
 * were created manually can be merged" and the 1000-alert cap never refuse).
 */
export function mergeIncidents(ctx: PdContext, target: Incident, sources: Incident[], actor: Actor): Incident {
  if (target.status === 'resolved') throw pdError.argumentsError('Open incidents cannot be merged into a resolved incident');
  for (const source of sources) {
    if (source.id === target.id) throw pdError.argumentsError('An incident cannot be merged into itself');
    if (source.status === 'resolved') throw pdError.argumentsError(`Incident ${source.id} is already resolved`);
  }
  const now = ctx.clock.now();
  for (const source of sources) {
    applyStatus(source, 'resolved', actor, now, undefined);
    source.mergedInto = target.id;
    source.updatedAt = now;
    ctx.webhooks.emit({ type: 'incident.resolved', incident: source, actor });
  }
  target.updatedAt = now;
  return target;
}
