import type { Account, EscalationPolicy, Incident, Priority, Service, Team, User, WebhookSubscription } from './model.js';
import { registerClient, type PagerDutyClientConfig, type RegisteredClient } from './oauth/clients.js';
import { buildSeed } from './seed.js';
import { DEFAULT_SETTINGS, type PagerDutySettings } from './settings.js';

/**
 * The whole in-memory PagerDuty: seeded records, incidents, subscriptions, registered clients
 * and settings. Only domain modules (incidents.ts, webhooks.ts, rest/*) mutate it.
 */
export class PagerDutyState {
  accounts = new Map<string, Account>();
  users = new Map<string, User>();
  teams = new Map<string, Team>();
  escalationPolicies = new Map<string, EscalationPolicy>();
  services = new Map<string, Service>();
  /** In severity order, most severe first (API-NOTES §2.7). */
  priorities: Priority[] = [];
  incidents = new Map<string, Incident>();
  subscriptions = new Map<string, WebhookSubscription>();
  clients = new Map<string, RegisteredClient>();
  settings: PagerDutySettings = { ...DEFAULT_SETTINGS };
  private counters = new Map<string, number>();
  private incidentNumbers = new Map<string, number>();

  constructor(private readonly initialClients: PagerDutyClientConfig[]) {
    this.reset();
  }

  /** Back to the seed: drops incidents, subscriptions, runtime-registered clients and settings. */
  reset(): void {
    const seed = buildSeed();
    this.accounts = new Map(seed.accounts.map((a) => [a.subdomain, a]));
    this.users = new Map(seed.users.map((u) => [u.id, u]));
    this.teams = new Map(seed.teams.map((t) => [t.id, t]));
    this.escalationPolicies = new Map(seed.escalationPolicies.map((p) => [p.id, p]));
    this.services = new Map(seed.services.map((s) => [s.id, s]));
    this.priorities = seed.priorities;
    this.incidents.clear();
    this.subscriptions.clear();
    this.clients = new Map(this.initialClients.map((c) => [c.clientId, registerClient(c)]));
    this.settings = { ...DEFAULT_SETTINGS };
    this.counters.clear();
    this.incidentNumbers.clear();
  }

  /** Deterministic ids: `prefix` + a base-36 counter, 7 characters in all ("PI00001"). */
  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return prefix + n.toString(36).toUpperCase().padStart(7 - prefix.length, '0');
  }

  /** incident_number increases per account (API-NOTES §5.11). */
  nextIncidentNumber(account: string): number {
    const n = (this.incidentNumbers.get(account) ?? 0) + 1;
    this.incidentNumbers.set(account, n);
    return n;
  }

  account(subdomain: string): Account | undefined {
    return this.accounts.get(subdomain);
  }

  usersOf(account: string): User[] {
    return [...this.users.values()].filter((u) => u.account === account);
  }

  userByEmail(account: string, email: string): User | undefined {
    const wanted = email.trim().toLowerCase();
    return this.usersOf(account).find((u) => u.email.toLowerCase() === wanted);
  }

  /** The admin is the default user of an account (control API tokens, pages). */
  adminOf(account: string): User | undefined {
    return this.usersOf(account).find((u) => u.role === 'admin' || u.role === 'owner');
  }

  /** The account's services, without deleted ones. */
  servicesOf(account: string): Service[] {
    return [...this.services.values()].filter((s) => s.account === account && s.deletedAt === null);
  }

  /** A service of this account that has not been deleted, or undefined. */
  serviceIn(id: string, account: string): Service | undefined {
    const service = this.inAccount(this.services, id, account);
    return service?.deletedAt === null ? service : undefined;
  }

  incidentsOf(account: string): Incident[] {
    return [...this.incidents.values()].filter((i) => i.account === account);
  }

  /** A record of this account, or undefined (ids of other accounts are "not found"). */
  inAccount<T extends { account: string }>(map: Map<string, T>, id: string, account: string): T | undefined {
    const record = map.get(id);
    return record && record.account === account ? record : undefined;
  }
}
