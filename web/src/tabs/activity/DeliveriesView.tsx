import type { DeliveryView } from '../../api/client.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Timestamp } from '../../components/Time.js';
import { Link } from '../../routing.js';
import { fetchDeliveries } from './activity-pages.js';
import { ActivityList } from './ActivityList.js';
import { OUTCOME_BADGES, OUTCOME_FILTER, PROVIDER_FILTER, PROVIDER_LABELS, type DeliveryFilters } from './filters.js';
import { FilterSelect } from './ListControls.js';
import { useFilteredPagedList } from './paged-list.js';

interface Props {
  filters: DeliveryFilters;
  onFiltersChange: (filters: DeliveryFilters) => void;
  autoRefresh: boolean;
  onAutoRefreshChange: (on: boolean) => void;
}

const NOUN = ['delivery', 'deliveries'] as const;
const COLUMNS = ['Received', 'Provider', 'Team or service', 'Event', 'Entity', 'Outcome'];

function retriesAbsorbed(delivery: DeliveryView): string {
  const n = delivery.duplicates;
  return `×${n} ${n === 1 ? 'retry' : 'retries'} absorbed`;
}

function DeliveryRow({ delivery }: { delivery: DeliveryView }) {
  const { entity } = delivery;
  return (
    <tr>
      <th scope="row" className="cell-time">
        <Timestamp iso={delivery.receivedAt} />
      </th>
      <td>{PROVIDER_LABELS[delivery.provider]}</td>
      <td>{delivery.scope.name}</td>
      <td>
        <code>{delivery.eventType}</code>
      </td>
      <td className="cell-entity">
        <span className="muted">{entity.type}</span>{' '}
        {entity.label === null ? <code>{entity.id}</code> : <span title={entity.id}>{entity.label}</span>}
        {delivery.linkId !== null && (
          <Link className="cell-detail" href={`/links/${encodeURIComponent(delivery.linkId)}`}>
            Open its link
          </Link>
        )}
      </td>
      <td>
        <StatusBadge prefix="Outcome" {...OUTCOME_BADGES[delivery.outcome]} />
        {delivery.outcomeDetail !== null && <span className="cell-detail">{delivery.outcomeDetail}</span>}
        {delivery.duplicates > 0 && (
          <span
            className="cell-detail"
            title={`${PROVIDER_LABELS[delivery.provider]} sent this delivery again ${delivery.duplicates} ${delivery.duplicates === 1 ? 'time' : 'times'}; the hub acted on it once.`}
          >
            {retriesAbsorbed(delivery)}
          </span>
        )}
      </td>
    </tr>
  );
}

/** Every webhook delivery the hub accepted, newest first, filterable by provider and outcome. */
export function DeliveriesView({ filters, onFiltersChange, autoRefresh, onAutoRefreshChange }: Props) {
  const list = useFilteredPagedList(filters, fetchDeliveries, autoRefresh);

  return (
    <ActivityList
      list={list}
      noun={NOUN}
      caption="Webhook deliveries received, newest first"
      columns={COLUMNS}
      renderRow={(delivery) => <DeliveryRow delivery={delivery} />}
      filtered={filters.provider !== '' || filters.outcome !== ''}
      emptyText="No deliveries yet. Webhooks from PagerDuty and Linear appear here as they arrive."
      autoRefresh={autoRefresh}
      onAutoRefreshChange={onAutoRefreshChange}
    >
      <FilterSelect filter={PROVIDER_FILTER} value={filters.provider} onChange={(provider) => onFiltersChange({ ...filters, provider })} />
      <FilterSelect filter={OUTCOME_FILTER} value={filters.outcome} onChange={(outcome) => onFiltersChange({ ...filters, outcome })} />
    </ActivityList>
  );
}
