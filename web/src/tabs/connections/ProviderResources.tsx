import { api, type Provider, type ServiceView, type TeamView } from '../../api/client.js';
import { ResourceList } from './ResourceList.js';

const loadServices = async (): Promise<ServiceView[]> => (await api.pagerdutyServices()).services;
const loadTeams = async (): Promise<TeamView[]> => (await api.linearTeams()).teams;

const SERVICE_NOUN = ['service', 'services'] as const;
const TEAM_NOUN = ['team', 'teams'] as const;

function ServiceItem({ service }: { service: ServiceView }) {
  return (
    <>
      <span className="resource-name">{service.url === null ? service.name : <a href={service.url}>{service.name}</a>}</span>
      <span className="resource-meta">{service.status}</span>
    </>
  );
}

function TeamItem({ team }: { team: TeamView }) {
  return (
    <>
      <span className="resource-name">{team.name}</span>
      <span className="resource-meta">{team.key}</span>
    </>
  );
}

/** A connected card's live list: PagerDuty services (for rules) or Linear teams (for webhooks). */
export function ProviderResources({ provider, onConnectionGone }: { provider: Provider; onConnectionGone: () => void }) {
  if (provider === 'pagerduty') {
    return (
      <ResourceList
        title="Services"
        noun={SERVICE_NOUN}
        label="PagerDuty services"
        load={loadServices}
        itemKey={(service) => service.id}
        renderItem={(service) => <ServiceItem service={service} />}
        emptyMessage="No services in this PagerDuty account yet — create one in PagerDuty, then Refresh."
        onConnectionGone={onConnectionGone}
      />
    );
  }
  return (
    <ResourceList
      title="Teams"
      noun={TEAM_NOUN}
      label="Linear teams"
      load={loadTeams}
      itemKey={(team) => team.id}
      renderItem={(team) => <TeamItem team={team} />}
      emptyMessage="No teams this connection can see in the Linear workspace yet — create one in Linear, then Refresh."
      onConnectionGone={onConnectionGone}
    />
  );
}
