import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError } from '../../api/client.js';
import { useVisibleInterval } from './visible-interval.js';

/** One page of a newest-first list, and where the next (older) page starts. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A fresh first page, merged into what is shown: the fresh items replace the newest ones, and
 * older pages loaded with "Load more" stay when the fresh page reaches into them. When it does
 * not (more new items arrived than a page holds), the extra pages are dropped rather than
 * showing a list with a hole in it.
 */
export function mergeFirstPage<T extends { id: string }>(current: Page<T>, fresh: Page<T>): Page<T> {
  if (fresh.nextCursor === null) return fresh;
  const freshIds = new Set(fresh.items.map((item) => item.id));
  let lastOverlap = -1;
  current.items.forEach((item, index) => {
    if (freshIds.has(item.id)) lastOverlap = index;
  });
  const tail = lastOverlap === -1 ? [] : current.items.slice(lastOverlap + 1);
  if (tail.length === 0) return fresh;
  return { items: [...fresh.items, ...tail], nextCursor: current.nextCursor };
}

/** An older page appended, leaving out anything already shown. */
function appendPage<T extends { id: string }>(current: Page<T>, older: Page<T>): Page<T> {
  const shown = new Set(current.items.map((item) => item.id));
  return { items: [...current.items, ...older.items.filter((item) => !shown.has(item.id))], nextCursor: older.nextCursor };
}

export type ListState<T> = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; page: Page<T> };

export interface PagedList<T> {
  state: ListState<T>;
  /** A refresh or "Load more" failed while a list is shown (the list is kept). */
  error: string | undefined;
  refreshing: boolean;
  loadingMore: boolean;
  /** The first page again, merged into what is shown (keeps pages loaded with "Load more"). */
  refresh: () => Promise<void>;
  /** The first page again, replacing what is shown (after an action changed the list). */
  reload: () => Promise<void>;
  loadMore: () => Promise<void>;
}

/** How often a list refreshes itself while auto-refresh is on and the page is visible. */
export const AUTO_REFRESH_MS = 3000;

/**
 * A newest-first list read page by page. `fetchPage` must be stable (useCallback over the
 * filters): when it changes the list starts again from its first page, and answers to requests
 * made for the old filters are dropped. With `autoRefresh` the first page is fetched again every
 * few seconds while the browser tab is visible, skipping a beat when a request is still running.
 */
export function usePagedList<T extends { id: string }>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  autoRefresh: boolean,
): PagedList<T> {
  const [state, setState] = useState<ListState<T>>({ kind: 'loading' });
  const [error, setError] = useState<string>();
  const [refreshing, setRefreshing] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  // Bumped when the filters change: answers for older filters are dropped.
  const generation = useRef(0);
  // Bumped when the shown list is replaced wholesale: a "Load more" answer for the old list is dropped.
  const epoch = useRef(0);
  const inFlight = useRef(0);
  const current = useRef(state);
  useEffect(() => {
    current.current = state;
  }, [state]);

  const firstPage = useCallback(
    async (mode: 'merge' | 'replace'): Promise<void> => {
      const started = generation.current;
      inFlight.current += 1;
      setRefreshing(true);
      try {
        const fresh = await fetchPage(undefined);
        if (started !== generation.current) return;
        setError(undefined);
        setState((previous) => {
          if (previous.kind === 'loaded' && mode === 'merge') {
            const merged = mergeFirstPage(previous.page, fresh);
            // Nothing new (the usual answer to a poll): keep the same state, no re-render.
            if (JSON.stringify(merged) === JSON.stringify(previous.page)) return previous;
            if (merged === fresh) epoch.current += 1;
            return { kind: 'loaded', page: merged };
          }
          epoch.current += 1;
          return { kind: 'loaded', page: fresh };
        });
      } catch (caught) {
        if (!(caught instanceof ApiRequestError)) throw caught;
        if (started !== generation.current) return;
        if (current.current.kind === 'loaded') setError(`Could not refresh: ${caught.message}`);
        else setState({ kind: 'failed', message: caught.message });
      } finally {
        inFlight.current -= 1;
        if (started === generation.current) setRefreshing(false);
      }
    },
    [fetchPage],
  );

  const refresh = useCallback(() => firstPage('merge'), [firstPage]);
  const reload = useCallback(() => firstPage('replace'), [firstPage]);

  const loadMore = useCallback(async (): Promise<void> => {
    const shown = current.current;
    if (shown.kind !== 'loaded' || shown.page.nextCursor === null) return;
    const started = generation.current;
    const startedEpoch = epoch.current;
    inFlight.current += 1;
    setLoadingMore(true);
    try {
      const older = await fetchPage(shown.page.nextCursor);
      if (started !== generation.current || startedEpoch !== epoch.current) return;
      setError(undefined);
      setState((previous) => (previous.kind === 'loaded' ? { kind: 'loaded', page: appendPage(previous.page, older) } : previous));
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      if (started === generation.current) setError(`Could not load more: ${caught.message}`);
    } finally {
      inFlight.current -= 1;
      if (started === generation.current) setLoadingMore(false);
    }
  }, [fetchPage]);

  // New filters: start again from the first page.
  useEffect(() => {
    generation.current += 1;
    setState({ kind: 'loading' });
    setError(undefined);
    setLoadingMore(false);
    void firstPage('replace');
  }, [firstPage]);

  // Skips a beat while a request is still running.
  const tick = useCallback(() => {
    if (inFlight.current === 0) void firstPage('merge');
  }, [firstPage]);
  useVisibleInterval(tick, AUTO_REFRESH_MS, autoRefresh);

  return { state, error, refreshing, loadingMore, refresh, reload, loadMore };
}

/** A list's filters as an API query: a filter set to '' (All) is left out. */
export type FilterQuery<F> = { [K in keyof F]: Exclude<F[K], ''> | undefined };

function asQuery<F extends object>(filters: F): FilterQuery<F> {
  return Object.fromEntries(Object.entries(filters).map(([name, value]) => [name, value === '' ? undefined : value])) as FilterQuery<F>;
}

/**
 * usePagedList over a list shown with `filters` (flat, each '' for All): `fetchPage` is asked for
 * a page with the filters as an API query, and the list starts again from its first page when a
 * filter's value changes. `fetchPage` must be the same function on every render (define it
 * outside the component).
 */
export function useFilteredPagedList<F extends object, T extends { id: string }>(
  filters: F,
  fetchPage: (query: FilterQuery<F>, cursor: string | undefined) => Promise<Page<T>>,
  autoRefresh: boolean,
): PagedList<T> {
  // The filters by value: a new object with the same values keeps the list as it is. The
  // callback is made again only when `key` changes, so the `filters` it holds match `key`.
  const key = JSON.stringify(filters);
  const fetchFiltered = useCallback(
    (cursor: string | undefined) => fetchPage(asQuery(filters), cursor),
    [key, fetchPage],
  );
  return usePagedList(fetchFiltered, autoRefresh);
}
