/** The stand-in's in-memory records (internal shapes; wire shapes live in serializers.ts). */

export type Region = 'us' | 'eu';
/** API role names (OAS User.role): admin, user = "Manager", limited_user = "Responder", owner… */
export type UserRole = 'owner' | 'admin' | 'user' | 'limited_user' | 'observer' | 'read_only_user';
export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export type Urgency = 'high' | 'low';

export interface Account {
  id: string;
  subdomain: string;
  name: string;
  region: Region;
  /** The account-level REST API key (`Authorization: Token token=<key>`), no user attached. */
  apiKey: string;
}

export interface User {
  id: string;
  account: string;
  name: string;
  email: string;
  role: UserRole;
  timeZone: string;
  jobTitle: string;
}

export interface Team {
  id: string;
  account: string;
  name: string;
}

export interface EscalationPolicy {
  id: string;
  account: string;
  name: string;
  /** Users of the first escalation rule; the first one is assigned new incidents. */
  userIds: string[];
  teamIds: string[];
}

/** API-NOTES §2.3: incident_urgency_rule — constant, or by support hours. */
export type UrgencyRule =
  | { type: 'constant'; urgency: Urgency }
  | { type: 'use_support_hours'; during: Urgency; outside: Urgency };

export interface SupportHours {
  timeZone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  daysOfWeek: number[];
  startTime: string;
  endTime: string;
}

export interface Service {
  id: string;
  account: string;
  name: string;
  description: string;
  escalationPolicyId: string;
  teamIds: string[];
  urgencyRule: UrgencyRule;
  supportHours: SupportHours | null;
  /** Set statuses; active/warning/critical are computed from open incidents (§2.3). */
  baseStatus: 'active' | 'maintenance' | 'disabled';
  createdAt: number;
  /**
   * Set by DELETE /services/{id}. The record stays so existing incidents still name their
   * service, but lists, lookups and new incidents no longer see it (state.serviceIn).
   */
  deletedAt: number | null;
}

export interface Priority {
  id: string;
  account: string;
  name: string;
  description: string;
}

export interface Actor {
  /** The acting user, or null for automation and app tokens without From. */
  userId: string | null;
  /** Webhook envelope `client` (API-NOTES §3.3): the OAuth app name, "PagerDuty" for the web UI, or null. */
  clientName: string | null;
}

export interface Note {
  id: string;
  userId: string | null;
  content: string;
  createdAt: number;
}

export interface Incident {
  id: string;
  account: string;
  number: number;
  title: string;
  serviceId: string;
  status: IncidentStatus;
  urgency: Urgency;
  incidentKey: string;
  priorityId: string | null;
  escalationPolicyId: string;
  assignedVia: 'escalation_policy' | 'direct_assignment';
  assignments: Array<{ userId: string; at: number }>;
  acknowledgements: Array<{ userId: string; at: number }>;
  body: string | null;
  createdAt: number;
  updatedAt: number;
  lastStatusChangeAt: number;
  lastStatusChangeBy: string | null;
  resolvedAt: number | null;
  reopenedAt: number | null;
  resolution: string | null;
  /** Set when a merge resolved this incident: the surviving (target) incident. Cleared on reopen. */
  mergedInto: string | null;
  notes: Note[];
}

export interface CustomHeader {
  name: string;
  value: string;
}

export interface WebhookSubscription {
  id: string;
  account: string;
  deliveryMethodId: string;
  url: string;
  /** Current signing secret; `previousSecret` is still signed with while a rotation is open (§3.4). */
  secret: string;
  previousSecret: string | null;
  customHeaders: CustomHeader[];
  description: string;
  events: string[];
  filter: { type: 'account_reference' | 'service_reference' | 'team_reference'; id: string | null };
  active: boolean;
  temporarilyDisabled: boolean;
  disabledUntil: number | null;
  consecutiveDrops: number;
  oauthClientId: string | null;
  /** Scopes of the OAuth token that created it (null = API key): incident.* needs incidents.read (§3.2). */
  creatorScopes: string[] | null;
  createdAt: number;
}
