import { useCallback, useEffect, useState } from 'react';
import { ApiRequestError, api, type ConnectionView, type MetaResponse, type Provider, type SessionResponse } from '../../api/client.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PlugIcon } from '../../components/Icons.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { PageHeader } from '../../components/PageHeader.js';
import { CardNotices } from './CardNotices.js';
import { ConnectionCard } from './ConnectionCard.js';
import type { CardNotice } from './notices.js';
import { useConnectAttempt } from './useConnectAttempt.js';

interface Props {
  session: SessionResponse;
  meta: MetaResponse;
}

type Load = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; connections: ConnectionView[] };

/**
 * Connections: one card per provider (PagerDuty, then Linear). Coming back from a provider's
 * consent page, the outcome of that Connect click is shown on its card.
 */
export function ConnectionsTab({ session, meta }: Props) {
  const isAdmin = session.user.role === 'admin';
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  // Notices from clicks on a card; until there is one, the card shows the Connect outcome.
  const [cardNotices, setCardNotices] = useState<Partial<Record<Provider, CardNotice[]>>>({});
  const attempt = useConnectAttempt();

  const reload = useCallback(async (updated?: ConnectionView): Promise<void> => {
    if (updated !== undefined) {
      setLoad((previous) =>
        previous.kind === 'loaded'
          ? { kind: 'loaded', connections: previous.connections.map((item) => (item.provider === updated.provider ? updated : item)) }
          : previous,
      );
    }
    try {
      const { connections } = await api.connections();
      setLoad({ kind: 'loaded', connections });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      // Keep showing the cards after a failed reload; say so only when there is nothing to show.
      setLoad((previous) => (previous.kind === 'loaded' ? previous : { kind: 'failed', message: caught.message }));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  function noticesFor(provider: Provider): CardNotice[] {
    const own = cardNotices[provider];
    if (own !== undefined) return own;
    return attempt.outcome?.provider === provider ? [attempt.outcome.notice] : [];
  }

  const connections = load.kind === 'loaded' ? load.connections : [];
  const noneConnected = load.kind === 'loaded' && connections.every((connection) => connection.status === 'not_connected');
  const pageNotice = attempt.outcome !== undefined && attempt.outcome.provider === undefined ? [attempt.outcome.notice] : [];

  return (
    <>
      <PageHeader title="Connections">
        The PagerDuty account and the Linear workspace this organisation syncs. Each is connected by OAuth and can be
        disconnected at any time.
      </PageHeader>
      {attempt.checking && (
        <p className="muted" role="status">
          Checking how connecting went…
        </p>
      )}
      <CardNotices notices={pageNotice} />
      {load.kind === 'loading' && (
        <p className="muted" role="status">
          Loading connections…
        </p>
      )}
      {load.kind === 'failed' && <LoadFailed message={load.message} onRetry={() => void reload()} />}
      {noneConnected && (
        <EmptyState icon={<PlugIcon />} title="Connect PagerDuty and Linear to start syncing">
          <p>
            Connect PagerDuty first, then Linear. The hub then loads your PagerDuty services and Linear teams so you can
            create team webhooks and rules.
          </p>
        </EmptyState>
      )}
      {connections.length > 0 && (
        <div className="card-grid">
          {connections.map((connection) => (
            <ConnectionCard
              key={connection.provider}
              connection={connection}
              isAdmin={isAdmin}
              sandbox={meta.sandbox}
              notices={noticesFor(connection.provider)}
              onNotices={(notices) => setCardNotices((previous) => ({ ...previous, [connection.provider]: notices }))}
              onChanged={reload}
            />
          ))}
        </div>
      )}
    </>
  );
}
