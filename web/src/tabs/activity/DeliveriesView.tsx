import { useCallback, useId } from 'react';
import { api, type DeliveryView } from '../../api/client.js';
import { SelectField } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Timestamp } from '../../components/Time.js';
import {
  OUTCOME_BADGES,
  OUTCOME_OPTIONS,
  parseOutcome,
  parseProvider,
  PROVIDER_LABELS,
  PROVIDER_OPTIONS,
  type DeliveryFilters,
} from './filters.js';
import { ListFooter, ListToolbar } from './ListControls.js';
import { usePagedList, type Page } from './paged-list.js';

interface Props {
  filters: DeliveryFilters;
  onFiltersChange: (filters: DeliveryFilters) => void;
  autoRefresh: boolean;
  onAutoRefreshChange: (on: boolean) => void;
}

const NOUN = ['delivery', 'deliveries'] as const;

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
  const captionId = useId();
  const fetchPage = useCallback(
    async (cursor: string | undefined): Promise<Page<DeliveryView>> => {
      const { deliveries, nextCursor } = await api.deliveries({
        provider: filters.provider === '' ? undefined : filters.provider,
        outcome: filters.outcome === '' ? undefined : filters.outcome,
        cursor,
      });
      return { items: deliveries, nextCursor };
    },
    [filters.provider, filters.outcome],
  );
  const list = usePagedList(fetchPage, autoRefresh);
  const filtered = filters.provider !== '' || filters.outcome !== '';

  return (
    <>
      <ListToolbar
        noun="deliveries"
        refreshing={list.refreshing}
        onRefresh={() => void list.refresh()}
        autoRefresh={autoRefresh}
        onAutoRefreshChange={onAutoRefreshChange}
      >
        <SelectField
          label="Provider"
          className="select-compact"
          value={filters.provider}
          options={PROVIDER_OPTIONS}
          onValueChange={(value) => onFiltersChange({ ...filters, provider: parseProvider(value) })}
        />
        <SelectField
          label="Outcome"
          className="select-compact"
          value={filters.outcome}
          options={OUTCOME_OPTIONS}
          onValueChange={(value) => onFiltersChange({ ...filters, outcome: parseOutcome(value) })}
        />
      </ListToolbar>
      {list.state.kind === 'loading' && (
        <p className="muted" role="status">
          Loading deliveries…
        </p>
      )}
      {list.state.kind === 'failed' && (
        <Notice kind="error">
          {list.state.message}{' '}
          <button type="button" className="button-link" onClick={() => void list.reload()}>
            Try again
          </button>
        </Notice>
      )}
      {list.state.kind === 'loaded' && list.state.page.items.length === 0 && (
        <>
          {list.error !== undefined && <Notice kind="error">{list.error}</Notice>}
          <p className="resource-empty">
            {filtered
              ? 'No deliveries match these filters.'
              : 'No deliveries yet. Webhooks from PagerDuty and Linear appear here as they arrive.'}
          </p>
        </>
      )}
      {list.state.kind === 'loaded' && list.state.page.items.length > 0 && (
        <>
          <div className="table-wrap table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
            <table className="table activity-table">
              <caption id={captionId} className="visually-hidden">
                Webhook deliveries received, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Provider</th>
                  <th scope="col">Team or service</th>
                  <th scope="col">Event</th>
                  <th scope="col">Entity</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {list.state.page.items.map((delivery) => (
                  <DeliveryRow key={delivery.id} delivery={delivery} />
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter
            count={list.state.page.items.length}
            noun={NOUN}
            hasMore={list.state.page.nextCursor !== null}
            loadingMore={list.loadingMore}
            onLoadMore={() => void list.loadMore()}
            error={list.error}
          />
        </>
      )}
    </>
  );
}
