import { useCallback, useEffect, useState } from 'react';
import { api, ApiRequestError, type LinkResponse, type TimelineEntryView } from '../../api/client.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { NoValue, RelativeTime, Timestamp } from '../../components/Time.js';
import { Link } from '../../routing.js';
import { DIRECTIONS, ENTRY_KINDS, INCIDENT_STATUS_LABELS, LINK_STATUS_BADGES, waitingSentence } from './link-words.js';

type State = { kind: 'loading' } | { kind: 'failed'; message: string; missing: boolean } | { kind: 'loaded'; data: LinkResponse };

function TimelineRow({ entry }: { entry: TimelineEntryView }) {
  const direction = DIRECTIONS[entry.direction];
  return (
    <tr>
      <th scope="row" className="cell-time">
        <Timestamp iso={entry.at} />
      </th>
      <td>
        <span aria-hidden="true">{direction.arrow}</span>
        <span className="visually-hidden">{direction.words}</span>
      </td>
      <td>
        <StatusBadge prefix="Kind" {...ENTRY_KINDS[entry.kind]} />
      </td>
      <td>
        {entry.summary}
        {entry.foundByReconciliation && (
          <span className="found-mark" title="Its webhook never reached the hub: the reconciliation found the change by reading both sides.">
            Found by reconciliation
          </span>
        )}
      </td>
    </tr>
  );
}

/** One link: both sides with their URLs and current states, how it stands, Re-sync now, and its timeline. */
export function LinkPage({ linkId, isAdmin }: { linkId: string; isAdmin: boolean }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; message: string }>();
  const [resyncing, setResyncing] = useState(false);

  const load = useCallback(async () => {
    try {
      setState({ kind: 'loaded', data: await api.link(linkId) });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setState({ kind: 'failed', message: caught.message, missing: caught.status === 404 });
    }
  }, [linkId]);

  useEffect(() => {
    void load();
  }, [load]);

  async function resync(): Promise<void> {
    setResyncing(true);
    setNotice(undefined);
    try {
      await api.resyncLink(linkId);
      setNotice({ kind: 'success', message: 'Re-sync queued: the hub reads both sides and brings them in line. The timeline shows what it did.' });
      await load();
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setNotice({ kind: 'error', message: `Could not re-sync: ${caught.message}` });
    } finally {
      setResyncing(false);
    }
  }

  if (state.kind === 'loading') {
    return (
      <>
        <PageHeader title="Link" />
        <p className="muted" role="status">
          Loading the link…
        </p>
      </>
    );
  }
  if (state.kind === 'failed') {
    return (
      <>
        <PageHeader title="Link" />
        {state.missing ? <p>There is no such link. It may belong to another organisation.</p> : <LoadFailed message={state.message} onRetry={() => void load()} />}
        <p>
          <Link href="/links">Back to Links</Link>
        </p>
      </>
    );
  }

  const { link, timeline } = state.data;
  return (
    <>
      <PageHeader title={`${link.issue.identifier}${link.incident === null ? '' : ` ↔ #${link.incident.number}`}`}>
        {link.issue.title}
      </PageHeader>
      <p>
        <Link href="/links">Back to Links</Link>
      </p>
      <section className="card section" aria-labelledby="link-state-heading">
        <h2 id="link-state-heading">
          How it stands <StatusBadge {...LINK_STATUS_BADGES[link.status]} />
        </h2>
        {link.status === 'waiting' && <Notice kind="info">{waitingSentence(link.waitingFor)}</Notice>}
        <dl className="facts">
          <dt>Rule</dt>
          <dd>
            <Link href={`/rules/${encodeURIComponent(link.rule.id)}`}>{link.rule.name}</Link>
          </dd>
          <dt>Linear issue</dt>
          <dd>
            <a href={link.issue.url} target="_blank" rel="noreferrer">
              {link.issue.identifier}
            </a>{' '}
            — {link.issue.state === null ? 'state not seen yet' : link.issue.state.name}
          </dd>
          <dt>PagerDuty incident</dt>
          <dd>
            {link.incident === null ? (
              'Being opened…'
            ) : (
              <>
                <a href={link.incident.url} target="_blank" rel="noreferrer">
                  #{link.incident.number}
                </a>{' '}
                — {INCIDENT_STATUS_LABELS[link.incident.status]} on {link.service.name}
              </>
            )}
          </dd>
          <dt>Last activity</dt>
          <dd>
            <RelativeTime iso={link.lastActivityAt} />
          </dd>
          <dt>Last error</dt>
          <dd>
            {link.lastError === null ? (
              <NoValue />
            ) : (
              <>
                {link.lastError.message} (<RelativeTime iso={link.lastError.at} />)
              </>
            )}
          </dd>
          <dt>Next retry</dt>
          <dd>{link.nextRetryAt === null ? <NoValue /> : <RelativeTime iso={link.nextRetryAt} />}</dd>
        </dl>
        {notice !== undefined && <Notice kind={notice.kind}>{notice.message}</Notice>}
        <div className="card-actions">
          {isAdmin && (
            <button type="button" className="button button-primary button-small" disabled={resyncing} onClick={() => void resync()}>
              {resyncing ? 'Re-syncing…' : 'Re-sync now'}
            </button>
          )}
          <button type="button" className="button button-secondary button-small" onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </section>
      <section className="card section" aria-labelledby="link-timeline-heading">
        <h2 id="link-timeline-heading">Timeline</h2>
        {timeline.length === 0 ? (
          <p className="resource-empty">Nothing recorded yet.</p>
        ) : (
          <div className="table-wrap table-scroll" role="region" aria-labelledby="link-timeline-heading" tabIndex={0}>
            <table className="table activity-table">
              <caption className="visually-hidden">Two-way timeline, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Direction</th>
                  <th scope="col">Kind</th>
                  <th scope="col">What happened</th>
                </tr>
              </thead>
              <tbody>
                {timeline.map((entry) => (
                  <TimelineRow key={entry.id} entry={entry} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
