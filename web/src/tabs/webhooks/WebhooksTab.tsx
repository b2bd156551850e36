import { useCallback, useEffect, useState } from 'react';
import {
  ApiRequestError,
  api,
  type PagerDutySubscriptionView,
  type ProviderRepairView,
  type SessionResponse,
  type TeamWebhookRow,
  type WebhooksResponse,
} from '../../api/client.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Timestamp } from '../../components/Time.js';
import { LinearWebhooksSection } from './LinearWebhooksSection.js';
import { PagerDutySubscriptionsSection } from './PagerDutySubscriptionsSection.js';

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'loaded'; data: WebhooksResponse; loadedAt: string; refreshError?: string | undefined; repair?: ProviderRepairView[] | undefined };

/** The answer with one team's row, or one subscription, replaced by what an action returned. */
function patched(data: WebhooksResponse, change: TeamWebhookRow | PagerDutySubscriptionView): WebhooksResponse {
  if ('team' in change) {
    return { ...data, linear: { ...data.linear, teams: data.linear.teams.map((row) => (row.team.id === change.team.id ? change : row)) } };
  }
  return {
    ...data,
    pagerduty: { subscriptions: data.pagerduty.subscriptions.map((item) => (item.id === change.id ? change : item)) },
  };
}

/** Webhooks: the Linear team webhooks and PagerDuty subscriptions the hub creates and looks after. */
export function WebhooksTab({ session }: { session: SessionResponse }) {
  const isAdmin = session.user.role === 'admin';
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [refreshing, setRefreshing] = useState(false);

  /** Loads the stored statuses; `repairNow` (admins' Refresh) first checks and repairs every webhook at the providers. */
  const fetchList = useCallback(async (repairNow: boolean, change?: TeamWebhookRow | PagerDutySubscriptionView): Promise<void> => {
    if (change !== undefined) {
      setLoad((previous) => (previous.kind === 'loaded' ? { ...previous, data: patched(previous.data, change) } : previous));
    }
    setRefreshing(true);
    try {
      if (repairNow) {
        const { repair, ...data } = await api.refreshWebhooks();
        setLoad({ kind: 'loaded', data, loadedAt: new Date().toISOString(), repair });
      } else {
        const data = await api.webhooks();
        setLoad({ kind: 'loaded', data, loadedAt: new Date().toISOString() });
      }
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      // Keep showing what was loaded; say the refresh failed.
      setLoad((previous) =>
        previous.kind === 'loaded' ? { ...previous, refreshError: caught.message } : { kind: 'failed', message: caught.message },
      );
    } finally {
      setRefreshing(false);
    }
  }, []);
  const reload = useCallback((change?: TeamWebhookRow | PagerDutySubscriptionView) => fetchList(false, change), [fetchList]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <>
      <PageHeader title="Webhooks">
        The webhooks the hub created on both sides, as of the hub’s last check at Linear and PagerDuty. The hub checks them
        on a schedule and repairs what it finds: a webhook deleted there is made again, a disabled one is turned back on.
        {isAdmin ? ' Refresh checks and repairs them now.' : ''}
      </PageHeader>
      {load.kind !== 'failed' && (
        <div className="toolbar">
          <p className="muted toolbar-status" role="status">
            {refreshing ? (
              load.kind === 'loading' ? 'Loading webhooks…' : 'Refreshing…'
            ) : load.kind === 'loaded' ? (
              <>
                Loaded <Timestamp iso={load.loadedAt} />
              </>
            ) : null}
          </p>
          {/* Not disabled while refreshing: that would drop keyboard focus. A click then is ignored. */}
          <button
            type="button"
            className="button button-secondary button-small"
            aria-disabled={refreshing || undefined}
            onClick={() => {
              if (!refreshing) void fetchList(isAdmin);
            }}
          >
            Refresh<span className="visually-hidden"> webhooks</span>
          </button>
        </div>
      )}
      {load.kind === 'failed' && <LoadFailed message={load.message} onRetry={() => void reload()} retrying={refreshing} />}
      {load.kind === 'loaded' && load.refreshError !== undefined && (
        <Notice kind="error">Could not refresh: {load.refreshError}</Notice>
      )}
      {load.kind === 'loaded' && load.repair !== undefined && <RepairSummary repair={load.repair} />}
      {load.kind === 'loaded' && (
        <>
          <LinearWebhooksSection linear={load.data.linear} isAdmin={isAdmin} onChanged={reload} />
          <PagerDutySubscriptionsSection subscriptions={load.data.pagerduty.subscriptions} isAdmin={isAdmin} onChanged={reload} />
        </>
      )}
    </>
  );
}

/** What the admin's Refresh did: the repairs per provider, what was skipped and why, what failed. */
function RepairSummary({ repair }: { repair: ProviderRepairView[] }) {
  const lines = repair.flatMap((one) => [...(one.skipped === null ? [] : [one.skipped]), ...one.repaired, ...one.problems]);
  const failed = repair.some((one) => one.problems.length > 0);
  return (
    <Notice kind={failed ? 'error' : 'success'}>
      {lines.length === 0 ? (
        <p>Checked every webhook: nothing needed repair.</p>
      ) : (
        <ul className="repair-summary">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </Notice>
  );
}
