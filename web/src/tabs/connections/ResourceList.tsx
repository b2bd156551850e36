import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiRequestError } from '../../api/client.js';
import { Notice } from '../../components/Notice.js';

/** Answers meaning the connection is not usable any more: the card must reload to show why. */
const CONNECTION_GONE = new Set(['connection_disconnected', 'not_connected']);

interface Props<T> {
  /** "Services", "Teams". */
  title: string;
  /** Singular and plural noun for the count: ["service", "services"]. */
  noun: readonly [string, string];
  /** Accessible name of the scrolling list, e.g. "PagerDuty services". */
  label: string;
  /** Must be stable (defined outside the component): the list reloads when it changes. */
  load: () => Promise<T[]>;
  itemKey: (item: T) => string;
  renderItem: (item: T) => ReactNode;
  /** Shown when the provider has none yet. */
  emptyMessage: string;
  /** The hub answered that the connection stopped working: reload the connections. */
  onConnectionGone: () => void;
}

type State<T> = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; items: T[] };

/**
 * A live list from the provider (PagerDuty services, Linear teams): loaded when shown, with a
 * Refresh button, a count, and a clear sentence when it is empty or cannot be loaded.
 */
export function ResourceList<T>({ title, noun, label, load, itemKey, renderItem, emptyMessage, onConnectionGone }: Props<T>) {
  const headingId = useId();
  const [state, setState] = useState<State<T>>({ kind: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  // The latest callback, without reloading the list whenever the parent re-renders.
  const connectionGone = useRef(onConnectionGone);
  useEffect(() => {
    connectionGone.current = onConnectionGone;
  });

  const reload = useCallback(async (isCurrent: () => boolean = () => true): Promise<void> => {
    setRefreshing(true);
    try {
      const items = await load();
      if (isCurrent()) setState({ kind: 'loaded', items });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      if (!isCurrent()) return;
      setState({ kind: 'failed', message: caught.message });
      if (caught.status === 409 && CONNECTION_GONE.has(caught.code)) connectionGone.current();
    } finally {
      if (isCurrent()) setRefreshing(false);
    }
  }, [load]);

  useEffect(() => {
    let current = true;
    void reload(() => current);
    return () => {
      current = false;
    };
  }, [reload]);

  const count = state.kind === 'loaded' ? `${state.items.length} ${state.items.length === 1 ? noun[0] : noun[1]}` : '';
  return (
    <section className="resource" aria-labelledby={headingId}>
      <div className="resource-head">
        <h3 id={headingId}>{title}</h3>
        <p className="resource-count" role="status">
          {refreshing ? `Loading ${noun[1]}…` : count}
        </p>
        <button type="button" className="button button-secondary button-small" disabled={refreshing} onClick={() => void reload()}>
          Refresh<span className="visually-hidden"> {noun[1]}</span>
        </button>
      </div>
      {state.kind === 'failed' && <Notice kind="error">{state.message}</Notice>}
      {state.kind === 'loaded' && state.items.length === 0 && <p className="resource-empty">{emptyMessage}</p>}
      {state.kind === 'loaded' && state.items.length > 0 && (
        // Scrolls when long; focusable so keyboard users can scroll it too.
        <div className="resource-scroll" role="region" aria-label={label} tabIndex={0}>
          <ul className="resource-list">
            {state.items.map((item) => (
              <li key={itemKey(item)}>{renderItem(item)}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
