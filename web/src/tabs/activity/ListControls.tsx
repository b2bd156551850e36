import { useEffect, useId, useRef, type ReactNode } from 'react';
import { SelectField } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import type { SelectFilter } from './filters.js';

interface ToolbarProps {
  /** The filters, as form fields (none for a list without filters). */
  children?: ReactNode;
  noun: string;
  refreshing: boolean;
  onRefresh: () => void;
  autoRefresh: boolean;
  onAutoRefreshChange: (on: boolean) => void;
}

/**
 * The filters, Refresh, and the auto-refresh switch above a list. Refresh is never disabled
 * (a disabled button drops keyboard focus, and auto-refresh would do that every few seconds):
 * a click while a refresh runs is ignored instead.
 */
export function ListToolbar({ children, noun, refreshing, onRefresh, autoRefresh, onAutoRefreshChange }: ToolbarProps) {
  const autoId = useId();
  return (
    <div className="list-toolbar">
      {children === undefined ? null : (
        <div className="filters" role="group" aria-label={`Filter ${noun}`}>
          {children}
        </div>
      )}
      <div className="list-toolbar-actions">
        <label className="toggle" htmlFor={autoId}>
          <input id={autoId} type="checkbox" checked={autoRefresh} onChange={(event) => onAutoRefreshChange(event.target.checked)} />
          Auto-refresh
        </label>
        <button
          type="button"
          className="button button-secondary button-small"
          aria-disabled={refreshing || undefined}
          onClick={() => {
            if (!refreshing) onRefresh();
          }}
        >
          Refresh<span className="visually-hidden"> {noun}</span>
        </button>
      </div>
    </div>
  );
}

interface FilterSelectProps<V extends string> {
  filter: SelectFilter<V>;
  value: V | '';
  onChange: (value: V | '') => void;
}

/** One filter of a list's toolbar, as a compact select. */
export function FilterSelect<V extends string>({ filter, value, onChange }: FilterSelectProps<V>) {
  return (
    <SelectField
      label={filter.label}
      className="select-compact"
      value={value}
      options={filter.options}
      onValueChange={(chosen) => onChange(filter.parse(chosen))}
    />
  );
}

interface FooterProps {
  count: number;
  noun: readonly [string, string];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  error: string | undefined;
}

/** How many are shown, "Load more" while the hub has older ones, and a failed refresh or page. */
export function ListFooter({ count, noun, hasMore, loadingMore, onLoadMore, error }: FooterProps) {
  const summary = useRef<HTMLParagraphElement>(null);
  const clicked = useRef(false);

  // After the last page "Load more" is gone: keep keyboard focus where it was, on the summary.
  useEffect(() => {
    if (loadingMore || !clicked.current) return;
    clicked.current = false;
    if (!hasMore) summary.current?.focus();
  }, [hasMore, loadingMore]);

  return (
    <>
      {error !== undefined && <Notice kind="error">{error}</Notice>}
      <div className="list-footer">
        <p className="muted" ref={summary} tabIndex={-1}>
          Showing {count} {count === 1 ? noun[0] : noun[1]}
          {hasMore ? '; older ones follow.' : ': all of them.'}
        </p>
        {hasMore && (
          <button
            type="button"
            className="button button-secondary"
            aria-disabled={loadingMore || undefined}
            onClick={() => {
              if (loadingMore) return;
              clicked.current = true;
              onLoadMore();
            }}
          >
            {loadingMore ? 'Loading…' : 'Load more'}
            <span className="visually-hidden"> {noun[1]}</span>
          </button>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {loadingMore ? `Loading more ${noun[1]}…` : ''}
      </p>
    </>
  );
}
