import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api, type JobView } from '../../api/client.js';
import { TextField } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { NoValue, RelativeTime, Timestamp } from '../../components/Time.js';
import { useRowAction } from '../../components/useRowAction.js';
import { fetchJobs } from './activity-pages.js';
import { ActivityList } from './ActivityList.js';
import { JOB_STATUS_BADGES, STATUS_FILTER, type JobFilters } from './filters.js';
import { FilterSelect } from './ListControls.js';
import { useFilteredPagedList } from './paged-list.js';

interface Props {
  isAdmin: boolean;
  filters: JobFilters;
  onFiltersChange: (filters: JobFilters) => void;
  autoRefresh: boolean;
  onAutoRefreshChange: (on: boolean) => void;
}

const NOUN = ['job', 'jobs'] as const;
const COLUMNS = ['Created', 'Kind', 'Lane', 'Status', 'Attempts', 'Next run', 'Last error'];
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
  const kindsId = useId();
  const [kindText, setKindText] = useState(filters.kind);
  const [kinds, setKinds] = useState<string[]>(filters.kind === '' ? [] : [filters.kind]);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; message: string }>();
  const noticeBox = useRef<HTMLDivElement>(null);

  const list = useFilteredPagedList(filters, fetchJobs, autoRefresh);
  // The action is the job's id: the one being replayed.
  const { busy, run } = useRowAction<string>((message) => setNotice({ kind: 'error', message }), list.reload);

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

  function replay(job: JobView): Promise<void> {
    setNotice(undefined);
    // job_not_dead (someone else replayed it), or gone: the list is out of date (reloaded on 409 / 404).
    return run(job.id, async () => {
      await api.replayJob(job.id);
      setNotice({ kind: 'success', message: `Replayed the ${job.kind} job: it runs again with fresh attempts.` });
      await list.reload();
    });
  }

  return (
    <ActivityList
      list={list}
      noun={NOUN}
      caption="Jobs, newest first"
      columns={COLUMNS}
      actionsColumn={isAdmin}
      renderRow={(job) => <JobRow job={job} isAdmin={isAdmin} replaying={busy === job.id} onReplay={(chosen) => void replay(chosen)} />}
      filtered={filters.status !== '' || filters.kind !== ''}
      emptyText="No jobs yet. Each delivery the hub acts on queues one."
      notice={
        notice !== undefined && (
          <div ref={noticeBox} tabIndex={-1} className="notice-focus">
            <Notice kind={notice.kind}>{notice.message}</Notice>
          </div>
        )
      }
      autoRefresh={autoRefresh}
      onAutoRefreshChange={onAutoRefreshChange}
    >
      <FilterSelect filter={STATUS_FILTER} value={filters.status} onChange={(status) => onFiltersChange({ ...filters, status })} />
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
    </ActivityList>
  );
}
