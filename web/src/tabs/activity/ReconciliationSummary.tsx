import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError, api, type ReconciliationResponse } from '../../api/client.js';
import { Notice } from '../../components/Notice.js';
import { RelativeTime } from '../../components/Time.js';
import { driftCount, driftTotal, driftWords, durationWords, intervalWords, pairs } from './reconciliation-words.js';
import { useVisibleInterval } from './visible-interval.js';

/** How often the line reads the reconciliation again while auto-refresh is on and the page is visible. */
export const SUMMARY_REFRESH_MS = 10_000;

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'loaded'; data: ReconciliationResponse; refreshError?: string | undefined };

/** "Next sweep in 4 minutes." — or "due now" once its time has come (it waits for a worker, or its rate share). */
function NextSweep({ at }: { at: string | null }) {
  if (at === null) return null;
  const due = Date.parse(at) <= Date.now();
  return (
    <>
      {' '}
      <span className="reconcile-next">{due ? 'Next sweep: due now.' : <>Next sweep <RelativeTime iso={at} />.</>}</span>
    </>
  );
}

/** The line itself, in each of its states: none yet, reconciling now, or the last sweep's figures. */
function SummaryLine({ data }: { data: ReconciliationResponse }) {
  const { lastSweep, inProgress, nextSweepAt, intervalSeconds } = data;
  if (inProgress !== null) {
    return (
      <>
        Reconciling now: {pairs(inProgress.pairsChecked)} checked so far (started <RelativeTime iso={inProgress.startedAt} />)
        {lastSweep === null ? '.' : <>; the last sweep finished <RelativeTime iso={lastSweep.finishedAt} />.</>}
        <NextSweep at={nextSweepAt} />
      </>
    );
  }
  if (lastSweep === null) {
    return (
      <>
        Reconciliation: none yet — the first sweep runs within {intervalWords(intervalSeconds)}.
        <NextSweep at={nextSweepAt} />
      </>
    );
  }
  const total = driftTotal(lastSweep.drifts);
  const took = `took ${durationWords(lastSweep.durationMs)}${lastSweep.runs > 1 ? ` over ${lastSweep.runs.toString()} runs` : ''}`;
  return (
    <>
      Last reconciliation: <RelativeTime iso={lastSweep.finishedAt} /> — {pairs(lastSweep.pairsChecked)} checked,{' '}
      {total === 0 ? `nothing to heal (${took}).` : `${driftCount(total)} healed (${took}): ${driftWords(lastSweep.drifts)}.`}
      <NextSweep at={nextSweepAt} />
    </>
  );
}

/**
 * One line above the Activity views: how the reconciliation stands (docs/reconciliation.md) — the
 * last sweep, the one running, or none yet — and when the next runs. Admins bring the next sweep
 * forward with Reconcile now. Reads again with the lists' auto-refresh, less often.
 */
export function ReconciliationSummary({ isAdmin, autoRefresh }: { isAdmin: boolean; autoRefresh: boolean }) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; message: string }>();
  const [starting, setStarting] = useState(false);
  const inFlight = useRef(false);

  const read = useCallback(async (): Promise<void> => {
    inFlight.current = true;
    try {
      // Only the summary: the healed changes are the Reconciliation view's.
      const data = await api.reconciliation({ limit: 1 });
      setLoad({ kind: 'loaded', data });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      // Keep showing what was read; say the refresh failed.
      setLoad((previous) => (previous.kind === 'loaded' ? { ...previous, refreshError: caught.message } : { kind: 'failed', message: caught.message }));
    } finally {
      inFlight.current = false;
    }
  }, []);

  useEffect(() => {
    void read();
  }, [read]);

  const tick = useCallback(() => {
    if (!inFlight.current) void read();
  }, [read]);
  useVisibleInterval(tick, SUMMARY_REFRESH_MS, autoRefresh);

  async function reconcileNow(): Promise<void> {
    setStarting(true);
    setNotice(undefined);
    try {
      await api.reconcileNow();
      setNotice({ kind: 'success', message: 'Reconciliation queued: the hub reads both sides of every open link in a moment. This line shows its progress.' });
      await read();
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setNotice({ kind: 'error', message: `Could not start the reconciliation: ${caught.message}` });
    } finally {
      setStarting(false);
    }
  }

  return (
    <div className="reconcile-summary">
      <div className="toolbar">
        <p className="toolbar-status">
          {load.kind === 'loading' && <span className="muted">Reconciliation: loading…</span>}
          {load.kind === 'failed' && (
            <>
              Reconciliation: could not be read. {load.message}{' '}
              <button type="button" className="button-link" onClick={() => void read()}>
                Try again
              </button>
            </>
          )}
          {load.kind === 'loaded' && <SummaryLine data={load.data} />}
          {load.kind === 'loaded' && load.refreshError !== undefined && <span className="muted"> (Could not refresh: {load.refreshError})</span>}
        </p>
        {isAdmin && (
          <button type="button" className="button button-secondary button-small" disabled={starting} onClick={() => void reconcileNow()}>
            {starting ? 'Starting…' : 'Reconcile now'}
          </button>
        )}
      </div>
      {notice !== undefined && <Notice kind={notice.kind}>{notice.message}</Notice>}
    </div>
  );
}
