import type { EscalationPolicy, Incident, Note, Priority, Service, Team, User, WebhookSubscription } from './model.js';
import type { PagerDutyState } from './state.js';
import { isoSeconds, type Urls } from './urls.js';

/**
 * REST wire shapes, checked against the official OAS by test/conformance/pagerduty.test.ts.
 * Fields the OAS declares non-nullable are omitted rather than sent as null (e.g. resolved_at
 * before resolution). Every record → JSON mapping lives here.
 */
export class Wire {
  constructor(
    private readonly state: PagerDutyState,
    private readonly urls: Urls,
  ) {}

  private web(account: string): string {
    return this.urls.web(this.state.account(account)!);
  }

  ref(kind: 'service' | 'user' | 'team' | 'escalation_policy', record: { id: string; account: string; name: string }) {
    const paths = { service: ['services', 'service-directory'], user: ['users', 'users'], team: ['teams', 'teams'], escalation_policy: ['escalation_policies', 'escalation_policies'] } as const;
    const [api, web] = paths[kind];
    return {
      id: record.id,
      type: `${kind}_reference`,
      summary: record.name,
      self: this.urls.self(api, record.id),
      html_url: `${this.web(record.account)}/${web}/${record.id}`,
    };
  }

  userRef(id: string) {
    return this.ref('user', this.state.users.get(id)!);
  }

  service(s: Service) {
    const open = this.state.incidentsOf(s.account).filter((i) => i.serviceId === s.id && i.status !== 'resolved');
    const status =
      s.baseStatus !== 'active' ? s.baseStatus : open.some((i) => i.status === 'triggered') ? 'critical' : open.length > 0 ? 'warning' : 'active';
    const last = Math.max(0, ...this.state.incidentsOf(s.account).filter((i) => i.serviceId === s.id).map((i) => i.createdAt));
    const rule = s.urgencyRule.type === 'constant'
      ? { type: 'constant', urgency: s.urgencyRule.urgency }
      : { type: 'use_support_hours', during_support_hours: { type: 'constant', urgency: s.urgencyRule.during }, outside_support_hours: { type: 'constant', urgency: s.urgencyRule.outside } };
    return {
      ...this.ref('service', s),
      type: 'service',
      name: s.name,
      description: s.description,
      auto_resolve_timeout: 14400,
      acknowledgement_timeout: 600,
      created_at: isoSeconds(s.createdAt),
      status,
      ...(last > 0 ? { last_incident_timestamp: isoSeconds(last) } : {}),
      escalation_policy: this.ref('escalation_policy', this.state.escalationPolicies.get(s.escalationPolicyId)!),
      teams: s.teamIds.map((id) => this.ref('team', this.state.teams.get(id)!)),
      integrations: [],
      incident_urgency_rule: rule,
      ...(s.supportHours
        ? { support_hours: { type: 'fixed_time_per_day', time_zone: 'UTC', days_of_week: s.supportHours.daysOfWeek, start_time: s.supportHours.startTime, end_time: s.supportHours.endTime } }
        : {}),
      scheduled_actions: [],
      addons: [],
      alert_creation: 'create_alerts_and_incidents',
    };
  }

  user(u: User) {
    return {
      ...this.ref('user', u),
      type: 'user',
      name: u.name,
      email: u.email,
      time_zone: u.timeZone,
      color: 'purple',
      role: u.role,
      description: null,
      invitation_sent: false,
      job_title: u.jobTitle,
      teams: [...this.state.escalationPolicies.values()]
        .filter((p) => p.userIds.includes(u.id))
        .flatMap((p) => p.teamIds)
        .filter((id, i, all) => all.indexOf(id) === i)
        .map((id) => this.ref('team', this.state.teams.get(id)!)),
      contact_methods: [],
      notification_rules: [],
    };
  }

  team(t: Team) {
    return { ...this.ref('team', t), type: 'team', name: t.name, description: '' };
  }

  priority(p: Priority) {
    return { id: p.id, type: 'priority', summary: p.name, self: this.urls.self('priorities', p.id), html_url: null, name: p.name, description: p.description };
  }

  escalationPolicy(p: EscalationPolicy) {
    return {
      ...this.ref('escalation_policy', p),
      type: 'escalation_policy',
      name: p.name,
      description: '',
      num_loops: 0,
      on_call_handoff_notifications: 'if_has_services',
      escalation_rules: [{ id: `${p.id}R1`, escalation_delay_in_minutes: 30, targets: p.userIds.map((id) => this.userRef(id)) }],
      services: this.state.servicesOf(p.account).filter((s) => s.escalationPolicyId === p.id).map((s) => this.ref('service', s)),
      teams: p.teamIds.map((id) => this.ref('team', this.state.teams.get(id)!)),
    };
  }

  incident(i: Incident) {
    const service = this.state.services.get(i.serviceId)!;
    const priority = i.priorityId ? this.state.priorities.find((p) => p.id === i.priorityId) : undefined;
    return {
      id: i.id,
      type: 'incident',
      summary: `[#${i.number}] ${i.title}`,
      self: this.urls.self('incidents', i.id),
      html_url: `${this.web(i.account)}/incidents/${i.id}`,
      incident_number: i.number,
      title: i.title,
      created_at: isoSeconds(i.createdAt),
      updated_at: isoSeconds(i.updatedAt),
      status: i.status,
      incident_key: i.incidentKey,
      service: this.ref('service', service),
      assignments: i.assignments.map((a) => ({ at: isoSeconds(a.at), assignee: this.userRef(a.userId) })),
      assigned_via: i.assignedVia,
      last_status_change_at: isoSeconds(i.lastStatusChangeAt),
      last_status_change_by: i.lastStatusChangeBy ? this.userRef(i.lastStatusChangeBy) : this.ref('service', service),
      ...(i.resolvedAt !== null ? { resolved_at: isoSeconds(i.resolvedAt) } : {}),
      ...(i.reopenedAt !== null ? { reopened_at: isoSeconds(i.reopenedAt) } : {}),
      first_trigger_log_entry: { id: `R${i.id.slice(1)}T`, type: 'trigger_log_entry_reference', self: this.urls.self('log_entries', `R${i.id.slice(1)}T`), html_url: null },
      alert_counts: { all: 0, triggered: 0, resolved: 0 },
      is_mergeable: true,
      incident_type: { name: 'incident_default' },
      escalation_policy: this.ref('escalation_policy', this.state.escalationPolicies.get(i.escalationPolicyId)!),
      teams: service.teamIds.map((id) => this.ref('team', this.state.teams.get(id)!)),
      pending_actions: [],
      acknowledgements: i.acknowledgements.map((a) => ({ at: isoSeconds(a.at), acknowledger: this.userRef(a.userId) })),
      ...(priority ? { priority: this.priority(priority) } : {}),
      ...(i.mergedInto !== null ? { resolve_reason: resolveReason(this.state, this.urls, i) } : {}),
      urgency: i.urgency,
      // `body` is not echoed: the docs want a string, the OAS an object (API-NOTES §2.4).
    };
  }

  note(n: Note) {
    return {
      id: n.id,
      ...(n.userId ? { user: this.userRef(n.userId) } : {}),
      channel: { summary: 'The PagerDuty website or APIs' },
      content: n.content,
      created_at: isoSeconds(n.createdAt),
    };
  }

  /** The secret appears only in the create response (API-NOTES §3.1); header values are redacted. */
  subscription(s: WebhookSubscription, opts: { withSecret: boolean }) {
    return {
      id: s.id,
      type: 'webhook_subscription',
      active: s.active,
      delivery_method: {
        id: s.deliveryMethodId,
        type: 'http_delivery_method',
        url: s.url,
        secret: opts.withSecret ? s.secret : null,
        temporarily_disabled: s.temporarilyDisabled,
        custom_headers: s.customHeaders.map((h) => ({ name: h.name, value: opts.withSecret ? h.value : '-- redacted --' })),
      },
      description: s.description,
      events: [...s.events],
      filter: s.filter.id === null ? { type: s.filter.type } : { id: s.filter.id, type: s.filter.type },
      ...(s.oauthClientId ? { oauth_client: { id: s.oauthClientId, type: 'oauth_client_reference', summary: this.state.clients.get(s.oauthClientId)?.name ?? s.oauthClientId } } : {}),
    };
  }
}

/** `resolve_reason` (OAS ResolveReason): set only on an incident resolved by a merge, naming the surviving incident. */
export function resolveReason(state: PagerDutyState, urls: Urls, i: Incident) {
  if (i.mergedInto === null) return null;
  const target = state.incidents.get(i.mergedInto)!;
  return {
    type: 'merge_resolve_reason',
    incident: { id: target.id, type: 'incident_reference', summary: `[#${target.number}] ${target.title}`, self: urls.self('incidents', target.id), html_url: `${urls.web(state.account(target.account)!)}/incidents/${target.id}` },
  };
}
