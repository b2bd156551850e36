import { useCallback, useEffect, useState } from 'react';
import {
  ApiRequestError,
  api,
  type PagerDutySubscriptionView,
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
  | { kind: 'loaded'; data: WebhooksResponse; loadedAt: string; refreshError?: string | undefined };

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

  const reload = useCallback(async (change?: TeamWebhookRow | PagerDutySubscriptionView): Promise<void> => {
    if (change !== undefined) {
      setLoad((previous) => (previous.kind === 'loaded' ? { ...previous, data: patched(previous.data, change) } : previous));
    }
    setRefreshing(true);
    try {
      const data = await api.webhooks();
      setLoad({ kind: 'loaded', data, loadedAt: new Date().toISOString() });
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

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <>
      <PageHeader title="Webhooks">
        The webhooks the hub created on both sides, checked against Linear and PagerDuty each time this page loads. A
        webhook that was disabled or deleted there shows it here: delete it and create it again.
      </PageHeader>
      {load.kind !== 'failed' && (
        <div className="toolbar">
          <p className="muted toolbar-status" role="status">
            {refreshing ? (
              load.kind === 'loading' ? 'Loading webhooks…' : 'Refreshing…'
            ) : load.kind === 'loaded' ? (
              <>
                Checked <Timestamp iso={load.loadedAt} />
              </>
            ) : null}
          </p>
          {/* Not disabled while refreshing: that would drop keyboard focus. A click then is ignored. */}
          <button
            type="button"
            className="button button-secondary button-small"
            aria-disabled={refreshing || undefined}
            onClick={() => {
              if (!refreshing) void reload();
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
      {load.kind === 'loaded' && (
        <>
          <LinearWebhooksSection linear={load.data.linear} isAdmin={isAdmin} onChanged={reload} />
          <PagerDutySubscriptionsSection subscriptions={load.data.pagerduty.subscriptions} isAdmin={isAdmin} onChanged={reload} />
        </>
      )}
    </>
  );
}
