import { Fragment, useId, type ReactNode } from 'react';
import { LoadFailed } from '../../components/LoadFailed.js';
import { Notice } from '../../components/Notice.js';
import { ListFooter, ListToolbar } from './ListControls.js';
import type { PagedList } from './paged-list.js';

interface Props<T extends { id: string }> {
  list: PagedList<T>;
  /** What the list holds: one, many ("job", "jobs"). */
  noun: readonly [string, string];
  /** The filters, as form fields (none for a list without filters). */
  children?: ReactNode;
  /** Whether any filter is set (changes what an empty list says). */
  filtered: boolean;
  /** What an empty list says when no filter is set. */
  emptyText: string;
  /** Outcome of the last action on a row, between the toolbar and the list. */
  notice?: ReactNode;
  caption: string;
  /** The column headings, left to right. */
  columns: readonly string[];
  /** A last column of row actions (Replay), its heading for screen readers only. */
  actionsColumn?: boolean;
  renderRow: (item: T) => ReactNode;
  autoRefresh: boolean;
  onAutoRefreshChange: (on: boolean) => void;
}

/**
 * A list of the Activity tab: filters, Refresh and auto-refresh above it; then "Loading…", the
 * failure with Try again, what an empty list means, or the table with "Load more" under it.
 */
export function ActivityList<T extends { id: string }>({
  list,
  noun,
  children,
  filtered,
  emptyText,
  notice,
  caption,
  columns,
  actionsColumn = false,
  renderRow,
  autoRefresh,
  onAutoRefreshChange,
}: Props<T>) {
  const captionId = useId();
  const items = list.state.kind === 'loaded' ? list.state.page.items : [];

  return (
    <>
      <ListToolbar
        noun={noun[1]}
        refreshing={list.refreshing}
        onRefresh={() => void list.refresh()}
        autoRefresh={autoRefresh}
        onAutoRefreshChange={onAutoRefreshChange}
      >
        {children}
      </ListToolbar>
      {notice}
      {list.state.kind === 'loading' && (
        <p className="muted" role="status">
          {`Loading ${noun[1]}…`}
        </p>
      )}
      {list.state.kind === 'failed' && <LoadFailed message={list.state.message} onRetry={() => void list.reload()} />}
      {list.state.kind === 'loaded' && items.length === 0 && (
        <>
          {list.error !== undefined && <Notice kind="error">{list.error}</Notice>}
          <p className="resource-empty">{filtered ? `No ${noun[1]} match these filters.` : emptyText}</p>
        </>
      )}
      {list.state.kind === 'loaded' && items.length > 0 && (
        <>
          <div className="table-wrap table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
            <table className="table activity-table">
              <caption id={captionId} className="visually-hidden">
                {caption}
              </caption>
              <thead>
                <tr>
                  {columns.map((column) => (
                    <th key={column} scope="col">
                      {column}
                    </th>
                  ))}
                  {actionsColumn && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <Fragment key={item.id}>{renderRow(item)}</Fragment>
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter
            count={items.length}
            noun={noun}
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
