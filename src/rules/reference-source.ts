import type { ConnectionsService } from '../connections/connections-service.js';
import type { HubDatabase } from '../db/database.js';
import { providers } from '../providers/registry.js';
import type { ProviderRequest } from '../providers/request.js';
import { listEndpoints } from '../webhooks/endpoints-repository.js';
import type { IncidentPager, IssueTracker, TrackerLabel, TrackerNamed, TrackerState } from '../providers/roles.js';

/**
 * What rules read of the connected workspace and account to check, name and resolve their
 * references, each read at most once per source (a source lives for one request: a check, an
 * import of many rules, a catalog). Live reads through the roles (providers/roles.ts), every
 * page. Provider failures and an unusable connection are thrown as their typed errors.
 */

export interface ReferenceDeps {
  database: HubDatabase;
  connections: ConnectionsService;
}

/** A team of the issue tracker as its teams list names it. */
export interface TrackerTeam {
  id: string;
  name: string;
  /** Linear's team key (ENG); null where the tracker has none. */
  key: string | null;
}

/** Everything a rule may pick from one team. */
export interface TeamChoices {
  team: TrackerTeam;
  /** By position (the tracker's order). */
  states: TrackerState[];
  projects: TrackerNamed[];
  /** The team's labels, then the workspace's. */
  labels: TrackerLabel[];
}

export interface ReferenceSource {
  tracker: IssueTracker;
  pager: IncidentPager;
  /** Teams that have a usable hub webhook (webhook_endpoints of the tracker watching a team). */
  hubWebhookTeamIds(): Promise<ReadonlySet<string>>;
  /** Every team of the connected workspace. */
  teams(): Promise<TrackerTeam[]>;
  /** The team's states, projects and labels; null when the workspace has no such team. */
  team(teamId: string): Promise<TeamChoices | null>;
  /** Every service of the connected account. */
  services(): Promise<TrackerNamed[]>;
  /** One service; null when the account has no such service. */
  service(serviceId: string): Promise<TrackerNamed | null>;
  /** The account's incident priorities; null when it has none. */
  priorities(): Promise<TrackerNamed[] | null>;
}

/** Caches a promise per key, so concurrent and repeated asks share one read. */
function once<T>(): (key: string, load: () => Promise<T>) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key, load) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = load();
      cache.set(key, value);
    }
    return value;
  };
}

/** A source reading the organisation's connections live (each catalog once). */
export function liveReferenceSource(deps: ReferenceDeps, organisationId: string): ReferenceSource {
  const tracker = providers.issueTracker().issueTracker;
  const pager = providers.incidentPager().incidentPager;
  const onTracker = <T>(call: (request: ProviderRequest) => Promise<T>) => deps.connections.withProvider(organisationId, tracker.provider, call);
  const onPager = <T>(call: (request: ProviderRequest) => Promise<T>) => deps.connections.withProvider(organisationId, pager.provider, call);
  const cachedTeams = once<TrackerTeam[]>();
  const cachedTeam = once<TeamChoices | null>();
  const cachedServices = once<TrackerNamed[]>();
  const cachedService = once<TrackerNamed | null>();
  const cachedPriorities = once<TrackerNamed[] | null>();
  const cachedWebhooks = once<ReadonlySet<string>>();

  const source: ReferenceSource = {
    tracker,
    pager,
    hubWebhookTeamIds: () =>
      cachedWebhooks('all', async () => {
        // As the Rules tab's checklist counts them (readiness.ts): one the provider no longer
        // has (`missing`) or one still being created does not count.
        const endpoints = await listEndpoints(deps.database.db, organisationId, tracker.provider);
        const usable = endpoints.filter((endpoint) => endpoint.scopeKind === 'team' && endpoint.status !== 'missing' && endpoint.status !== 'creating');
        return new Set(usable.map((endpoint) => endpoint.scopeId));
      }),
    teams: () =>
      cachedTeams('all', async () => {
        const scopes = await onTracker((request) => providers.get(tracker.provider).scopes.list(request));
        return scopes.map((scope) => ({ id: scope.id, name: scope.name, key: scope.key }));
      }),
    team: (teamId) =>
      cachedTeam(teamId, async () => {
        const team = (await source.teams()).find((candidate) => candidate.id === teamId);
        if (team === undefined) return null;
        const read = await onTracker(async (request) => {
          const states = await tracker.teamStates(request, teamId);
          const projects = await tracker.teamProjects(request, teamId);
          const labels = await tracker.teamLabels(request, teamId);
          return states === null || projects === null || labels === null ? null : { states, projects, labels };
        });
        return read === null ? null : { team, ...read };
      }),
    services: () =>
      cachedServices('all', async () => {
        const scopes = await onPager((request) => providers.get(pager.provider).scopes.list(request));
        return scopes.map((scope) => ({ id: scope.id, name: scope.name }));
      }),
    service: (serviceId) => cachedService(serviceId, () => onPager((request) => pager.service(request, serviceId))),
    priorities: () => cachedPriorities('all', () => onPager((request) => pager.priorities(request))),
  };
  return source;
}
