import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { SessionResponse } from '../../api/client.js';
import { PageHeader } from '../../components/PageHeader.js';
import { DeliveriesView } from './DeliveriesView.js';
import {
  addressFor,
  readAddress,
  type ActivityAddress,
  type ActivityView,
  type DeliveryFilters,
  type JobFilters,
  type SkippedFilters,
} from './filters.js';
import { JobsView } from './JobsView.js';
import { ReconciliationSummary } from './ReconciliationSummary.js';
import { ReconciliationView } from './ReconciliationView.js';
import { SkippedView } from './SkippedView.js';

const VIEWS: ReadonlyArray<{ id: ActivityView; label: string }> = [
  { id: 'deliveries', label: 'Deliveries' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'skipped', label: 'Skipped' },
  { id: 'reconciliation', label: 'Reconciliation' },
];

const PANEL_ID = 'activity-panel';
const tabId = (view: ActivityView) => `activity-tab-${view}`;

/**
 * Activity: every webhook delivery received, every job run, every issue a rule skipped and every
 * change the reconciliation healed, newest first, page by page, refreshing itself every few
 * seconds while visible. Above the views, one line says how the reconciliation stands (admins:
 * Reconcile now). The shown view and its filters live in the address
 * (/activity?view=jobs&status=dead, /activity?view=skipped&rule=…, /activity?view=reconciliation),
 * so a reload or a shared link opens the same list. The header says how far back it goes
 * (`retentionDays`: RETENTION_DAYS, from GET /api/meta).
 */
export function ActivityTab({ session, retentionDays }: { session: SessionResponse; retentionDays: number }) {
  const isAdmin = session.user.role === 'admin';
  const [address, setAddress] = useState<ActivityAddress>(() => readAddress(window.location.search));
  const [autoRefresh, setAutoRefresh] = useState(true);
  const tabs = useRef<Partial<Record<ActivityView, HTMLButtonElement | null>>>({});

  useEffect(() => {
    if (window.location.pathname.replace(/\/+$/, '') !== '/activity') return;
    const target = addressFor(address);
    if (target !== window.location.pathname + window.location.search) window.history.replaceState(null, '', target);
  }, [address]);

  const select = (view: ActivityView) => setAddress((previous) => ({ ...previous, view }));
  const setDeliveryFilters = useCallback((deliveries: DeliveryFilters) => setAddress((previous) => ({ ...previous, deliveries })), []);
  const setJobFilters = useCallback((jobs: JobFilters) => setAddress((previous) => ({ ...previous, jobs })), []);
  const setSkippedFilters = useCallback((skipped: SkippedFilters) => setAddress((previous) => ({ ...previous, skipped })), []);

  // Arrow keys, Home and End move between the tabs (and show the one reached).
  function onTabKeyDown(event: KeyboardEvent<HTMLButtonElement>): void {
    const index = VIEWS.findIndex((view) => view.id === address.view);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % VIEWS.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + VIEWS.length) % VIEWS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? VIEWS.length - 1
              : undefined;
    const view = next === undefined ? undefined : VIEWS[next];
    if (view === undefined) return;
    event.preventDefault();
    select(view.id);
    tabs.current[view.id]?.focus();
  }

  return (
    <>
      <PageHeader title="Activity">
        Every webhook delivery the hub received, every job it ran, every issue a rule skipped while paused or needing
        attention, and every change the reconciliation found after a webhook was lost, newest first. Kept for{' '}
        {retentionDays === 1 ? '1 day' : `${retentionDays} days`}; dead jobs and skipped issues not yet paged stay until
        handled. Dead jobs can be replayed.
      </PageHeader>
      <ReconciliationSummary isAdmin={isAdmin} autoRefresh={autoRefresh} />
      <div className="view-tabs" role="tablist" aria-label="Activity">
        {VIEWS.map((view) => {
          const selected = view.id === address.view;
          return (
            <button
              key={view.id}
              ref={(element) => {
                tabs.current[view.id] = element;
              }}
              type="button"
              role="tab"
              id={tabId(view.id)}
              className="view-tab"
              aria-selected={selected}
              aria-controls={selected ? PANEL_ID : undefined}
              tabIndex={selected ? 0 : -1}
              onClick={() => select(view.id)}
              onKeyDown={onTabKeyDown}
            >
              {view.label}
            </button>
          );
        })}
      </div>
      <section className="card section activity-panel" role="tabpanel" id={PANEL_ID} aria-labelledby={tabId(address.view)}>
        {address.view === 'deliveries' ? (
          <DeliveriesView
            filters={address.deliveries}
            onFiltersChange={setDeliveryFilters}
            autoRefresh={autoRefresh}
            onAutoRefreshChange={setAutoRefresh}
          />
        ) : address.view === 'reconciliation' ? (
          <ReconciliationView autoRefresh={autoRefresh} onAutoRefreshChange={setAutoRefresh} />
        ) : address.view === 'skipped' ? (
          <SkippedView
            isAdmin={isAdmin}
            filters={address.skipped}
            onFiltersChange={setSkippedFilters}
            autoRefresh={autoRefresh}
            onAutoRefreshChange={setAutoRefresh}
          />
        ) : (
          <JobsView
            isAdmin={isAdmin}
            filters={address.jobs}
            onFiltersChange={setJobFilters}
            autoRefresh={autoRefresh}
            onAutoRefreshChange={setAutoRefresh}
          />
        )}
      </section>
    </>
  );
}
