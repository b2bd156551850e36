import { randomUUID } from 'node:crypto';
import type { PdContext } from '../context.js';
import { pdError } from '../errors.js';
import type { Actor, Incident, Urgency } from '../model.js';
import { resolvePriority } from './priorities.js';
import { defaultUrgency } from './urgency.js';

export interface CreateIncidentInput {
  title: string;
  serviceId: string;
  urgency?: Urgency;
  /** A priority id or name. */
  priority?: string;
  body?: string;
  incidentKey?: string;
  escalationPolicyId?: string;
  assigneeIds?: string[];
}

export const DEDUP_CONFLICT = 'Open incident with matching dedup key already exists on this service';

/**
 * POST /incidents semantics (API-NOTES §2.4, §5.11), shared by REST and the responder page.
 * Emits incident.triggered, plus incident.acknowledged when the actor assigned it to themselves.
 */
export function createIncident(ctx: PdContext, account: string, input: CreateIncidentInput, actor: Actor): Incident {
  const { state, clock } = ctx;
  const service = state.serviceIn(input.serviceId, account);
  if (!service) throw pdError.invalidInput(`Service not found: ${input.serviceId}`);
  // Maintenance and disabled services refuse new incidents (§5.11; the exact error is unverified).
  if (service.baseStatus !== 'active') throw pdError.argumentsError(`Service is ${service.baseStatus === 'disabled' ? 'disabled' : 'in maintenance mode'}`);
  if (input.assigneeIds?.length && input.escalationPolicyId) {
    throw pdError.invalidInput('Incidents cannot have both assignments and an escalation_policy');
  }
  if ((input.assigneeIds?.length ?? 0) > 1) throw pdError.invalidInput('Only one assignee is supported');
  const assignees = (input.assigneeIds ?? []).map((id) => state.inAccount(state.users, id, account));
  if (assignees.some((u) => !u)) throw pdError.invalidInput('Assignee not found');
  const policyId = input.escalationPolicyId ?? service.escalationPolicyId;
  const policy = state.inAccount(state.escalationPolicies, policyId, account);
  if (!policy) throw pdError.invalidInput(`Escalation policy not found: ${policyId}`);
  const priority = input.priority === undefined ? undefined : resolvePriority(state, account, input.priority);
  if (input.incidentKey !== undefined) {
    const open = state.incidentsOf(account).find(
      (i) => i.serviceId === service.id && i.incidentKey === input.incidentKey && i.status !== 'resolved',
    );
    if (open) throw pdError.argumentsError(DEDUP_CONFLICT);
  }
  const now = clock.now();
  const assignedIds = assignees.length > 0 ? assignees.map((u) => u!.id) : policy.userIds.slice(0, 1);
  // Self-assignment creates the incident already acknowledged (§2.4, DD-INC).
  const selfAssigned = actor.userId !== null && assignees.some((u) => u!.id === actor.userId);
  const incident: Incident = {
    id: state.nextId('PI'),
    account,
    number: state.nextIncidentNumber(account),
    title: input.title,
    serviceId: service.id,
    status: selfAssigned ? 'acknowledged' : 'triggered',
    urgency: input.urgency ?? defaultUrgency(service, now),
    incidentKey: input.incidentKey ?? randomUUID().replaceAll('-', ''),
    priorityId: priority?.id ?? null,
    escalationPolicyId: policy.id,
    assignedVia: assignees.length > 0 ? 'direct_assignment' : 'escalation_policy',
    assignments: assignedIds.map((userId) => ({ userId, at: now })),
    acknowledgements: selfAssigned ? [{ userId: actor.userId!, at: now }] : [],
    body: input.body ?? null,
    createdAt: now,
    updatedAt: now,
    lastStatusChangeAt: now,
    lastStatusChangeBy: actor.userId,
    resolvedAt: null,
    reopenedAt: null,
    resolution: null,
    mergedInto: null,
    notes: [],
  };
  state.incidents.set(incident.id, incident);
  ctx.webhooks.emit({ type: 'incident.triggered', incident, actor });
  if (selfAssigned) ctx.webhooks.emit({ type: 'incident.acknowledged', incident, actor });
  return incident;
}
