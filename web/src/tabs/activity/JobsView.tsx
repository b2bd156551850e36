import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiRequestError, api, type JobView } from '../../api/client.js';
import { SelectField, TextField } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { NoValue, RelativeTime, Timestamp } from '../../components/Time.js';
import { JOB_STATUS_BADGES, parseStatus, STATUS_OPTIONS, type JobFilters } from './filters.js';
import { ListFooter, ListToolbar } from './ListControls.js';
import { usePagedList, type Page } from './paged-list.js';

interface Props {
  isAdmin: boolean;
  filters: JobFilters;
  onFiltersChange: (filters: JobFilters) => void;
  autoRefresh: boolean;
  onAutoRefreshChange: (on: boolean) => void;
}

const NOUN = ['job', 'jobs'] as const;
/** The kind filter applies this long after the last keystroke (or at once on Enter). */
export const KIND_DEBOUNCE_MS = 400;
const SHORT_ERROR = 80;

/** "pagerduty.create_incident" may break after its dots (and only there) when the table is tight. */
function Kind({ kind }: { kind: string }) {
  const parts = kind.split('.');
  return (
    <code className="code-breakable">
      {parts.map((part, index) => (
        <span key={index}>
          {part}
          {index < parts.length - 1 && (
            <>
              .<wbr />
            </>
          )}
        </span>
      ))}
    </code>
  );
}

function LastError({ text }: { text: string | null }) {
  if (text === null) return <NoValue />;
  if (text.length <= SHORT_ERROR) return <span className="cell-error">{text}</span>;
  return (
    <details className="cell-error">
      <summary title={text}>{`${text.slice(0, SHORT_ERROR - 1).trimEnd()}…`}</summary>
      <p>{text}</p>
    </details>
  );
}

interface RowProps {
  job: JobView;
  isAdmin: boolean;
  replaying: boolean;
  onReplay: (job: JobView) => void;
}

function JobRow({ job, isAdmin, replaying, onReplay }: RowProps) {
  return (
    <tr>
      <th scope="row" className="cell-time">
        <Timestamp iso={job.createdAt} />
      </th>
      <td>
        <Kind kind={job.kind} />
      </td>
      <td>{job.lane === null ? <NoValue /> : <code className="cell-lane">{job.lane}</code>}</td>
      <td>
        <StatusBadge {...JOB_STATUS_BADGES[job.status]} />
      </td>
      <td className="cell-number">
        {job.attempts}
        <span aria-hidden="true"> / </span>
        <span className="visually-hidden"> of </span>
        {job.maxAttempts}
      </td>
      <td className="cell-time">{job.nextRunAt === null ? <NoValue /> : <RelativeTime iso={job.nextRunAt} />}</td>
      <td>
        <LastError text={job.lastError} />
      </td>
      {isAdmin && (
        <td>
          {job.status === 'dead' && (
            <button type="button" className="button button-secondary button-small" disabled={replaying} onClick={() => onReplay(job)}>
              {replaying ? 'Replaying…' : 'Replay'}
              <span className="visually-hidden"> the {job.kind} job</span>
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

/** Every job the hub queued, newest first; dead jobs can be replayed by admins (SPEC §2.1). */
export function JobsView({ isAdmin, filters, onFiltersChange, autoRefresh, onAutoRefreshChange }: Props) {
  const captionId = useId();
  const kindsId = useId();
  const [kindText, setKindText] = useState(filters.kind);
  const [kinds, setKinds] = useState<string[]>(filters.kind === '' ? [] : [filters.kind]);
  const [replaying, setReplaying] = useState<string>();
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; message: string }>();
  const noticeBox = useRef<HTMLDivElement>(null);

  const fetchPage = useCallback(
    async (cursor: string | undefined): Promise<Page<JobView>> => {
      const { jobs, nextCursor } = await api.jobs({
        status: filters.status === '' ? undefined : filters.status,
        kind: filters.kind === '' ? undefined : filters.kind,
        cursor,
      });
      return { items: jobs, nextCursor };
    },
    [filters.status, filters.kind],
  );
  const list = usePagedList(fetchPage, autoRefresh);

  // The kinds seen so far, offered as suggestions for the kind filter.
  const shown = list.state.kind === 'loaded' ? list.state.page.items : undefined;
  useEffect(() => {
    if (shown === undefined) return;
    setKinds((previous) => {
      const fresh = shown.map((job) => job.kind).filter((kind) => !previous.includes(kind));
      return fresh.length === 0 ? previous : [...previous, ...new Set(fresh)].sort();
    });
  }, [shown]);

  const applyKind = useCallback(
    (text: string) => {
      const kind = text.trim();
      if (kind !== filters.kind) onFiltersChange({ ...filters, kind });
    },
    [filters, onFiltersChange],
  );

  useEffect(() => {
    const timer = setTimeout(() => applyKind(kindText), KIND_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [kindText, applyKind]);

  useEffect(() => {
    if (notice !== undefined) noticeBox.current?.focus();
  }, [notice]);

  async function replay(job: JobView): Promise<void> {
    setReplaying(job.id);
    setNotice(undefined);
    try {
      await api.replayJob(job.id);
      setNotice({ kind: 'success', message: `Replayed the ${job.kind} job: it runs again with fresh attempts.` });
      await list.reload();
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setNotice({ kind: 'error', message: caught.message });
      // job_not_dead (someone else replayed it), or gone: the list is out of date.
      if (caught.status === 409 || caught.status === 404) await list.reload();
    } finally {
      setReplaying(undefined);
    }
  }

  const filtered = filters.status !== '' || filters.kind !== '';

  return (
    <>
      <ListToolbar
        noun="jobs"
        refreshing={list.refreshing}
        onRefresh={() => void list.refresh()}
        autoRefresh={autoRefresh}
        onAutoRefreshChange={onAutoRefreshChange}
      >
        <SelectField
          label="Status"
          className="select-compact"
          value={filters.status}
          options={STATUS_OPTIONS}
          onValueChange={(value) => onFiltersChange({ ...filters, status: parseStatus(value) })}
        />
        <TextField
          label="Kind"
          className="input-compact"
          value={kindText}
          onValueChange={setKindText}
          list={kindsId}
          placeholder="All kinds"
          autoComplete="off"
          spellCheck={false}
          onKeyDown={(event) => {
            if (event.key === 'Enter') applyKind(kindText);
          }}
        />
        <datalist id={kindsId}>
          {kinds.map((kind) => (
            <option key={kind} value={kind} />
          ))}
        </datalist>
      </ListToolbar>
      {notice !== undefined && (
        <div ref={noticeBox} tabIndex={-1} className="notice-focus">
          <Notice kind={notice.kind}>{notice.message}</Notice>
        </div>
      )}
      {list.state.kind === 'loading' && (
        <p className="muted" role="status">
          Loading jobs…
        </p>
      )}
      {list.state.kind === 'failed' && (
        <Notice kind="error">
          {list.state.message}{' '}
          <button type="button" className="button-link" onClick={() => void list.reload()}>
            Try again
          </button>
        </Notice>
      )}
      {list.state.kind === 'loaded' && list.state.page.items.length === 0 && (
        <>
          {list.error !== undefined && <Notice kind="error">{list.error}</Notice>}
          <p className="resource-empty">
            {filtered ? 'No jobs match these filters.' : 'No jobs yet. Each delivery the hub acts on queues one.'}
          </p>
        </>
      )}
      {list.state.kind === 'loaded' && list.state.page.items.length > 0 && (
        <>
          <div className="table-wrap table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
            <table className="table activity-table">
              <caption id={captionId} className="visually-hidden">
                Jobs, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Lane</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Next run</th>
                  <th scope="col">Last error</th>
                  {isAdmin && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.state.page.items.map((job) => (
                  <JobRow
                    key={job.id}
                    job={job}
                    isAdmin={isAdmin}
                    replaying={replaying === job.id}
                    onReplay={(chosen) => void replay(chosen)}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter
            count={list.state.page.items.length}
            noun={NOUN}
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
