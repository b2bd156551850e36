import { useMemo, useState } from 'react';
import { Notice } from '../../components/Notice.js';
import { useRowAction } from '../../components/useRowAction.js';
import { api, type NamedRef, type SkippedIssueView } from '../../api/client.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { NoValue, Timestamp } from '../../components/Time.js';
import { Link } from '../../routing.js';
import { fetchSkipped } from './activity-pages.js';
import { ActivityList } from './ActivityList.js';
import { SKIP_REASON_BADGES, type SelectFilter, type SkippedFilters } from './filters.js';
import { FilterSelect } from './ListControls.js';
import { useFilteredPagedList } from './paged-list.js';
import { useRuleNames } from '../../components/useRuleNames.js';

interface Props {
  isAdmin: boolean;
  filters: SkippedFilters;
  onFiltersChange: (filters: SkippedFilters) => void;
  autoRefresh: boolean;
  onAutoRefreshChange: (on: boolean) => void;
}

const NOUN = ['skipped issue', 'skipped issues'] as const;
const COLUMNS = ['Skipped', 'Rule', 'Issue', 'Reason', 'Detail', 'Paged'];

/**
 * The Rule filter: All, then the rules in evaluation order. A rule in the address that is not
 * among them (deleted since, or the rules could not be read) is offered too, named as its skips
 * name it, so the select always shows what the list is filtered by.
 */
function ruleFilter(rules: NamedRef[] | undefined, selected: string, shown: SkippedIssueView[] | undefined): SelectFilter<string> {
  const options = [{ value: '', label: 'All rules' }, ...(rules ?? []).map((rule) => ({ value: rule.id, label: rule.name }))];
  if (selected !== '' && !options.some((option) => option.value === selected)) {
    const named = shown?.find((skip) => skip.rule.id === selected)?.rule.name;
    options.push({ value: selected, label: named ?? selected });
  }
  return { label: 'Rule', options, parse: (value) => value ?? '' };
}

interface RowProps {
  skip: SkippedIssueView;
  ruleListed: boolean;
  isAdmin: boolean;
  paging: boolean;
  onPage: (skip: SkippedIssueView) => void;
}

function SkippedRow({ skip, ruleListed, isAdmin, paging, onPage }: RowProps) {
  const { rule, issue } = skip;
  return (
    <tr>
      <th scope="row" className="cell-time">
        <Timestamp iso={skip.skippedAt} />
      </th>
      <td>{ruleListed ? <Link href={`/rules/${encodeURIComponent(rule.id)}`}>{rule.name}</Link> : rule.name}</td>
      <td className="cell-entity">{issue.label === null ? <code>{issue.id}</code> : <span title={issue.id}>{issue.label}</span>}</td>
      <td>
        <StatusBadge prefix="Reason" {...SKIP_REASON_BADGES[skip.reason]} />
      </td>
      <td>{skip.detail}</td>
      <td className="cell-time">{skip.pagedAt === null ? <NoValue /> : <Timestamp iso={skip.pagedAt} />}</td>
      {isAdmin && (
        <td>
          {skip.pagedAt === null && (
            <button type="button" className="button button-secondary button-small" disabled={paging} onClick={() => onPage(skip)}>
              {paging ? 'Paging…' : 'Page now'}
              <span className="visually-hidden"> {issue.label ?? issue.id}</span>
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

/**
 * Issues a rule would have taken but did not page, newest first, filterable by rule (docs/rules.md
 * § The safety valve). Admins page one after all with Page now.
 */
export function SkippedView({ isAdmin, filters, onFiltersChange, autoRefresh, onAutoRefreshChange }: Props) {
  const list = useFilteredPagedList(filters, fetchSkipped, autoRefresh);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; message: string }>();
  // The action is the skipped record's id: the one being paged.
  const { busy, run } = useRowAction<string>((message) => setNotice({ kind: 'error', message }), list.reload);

  function page(skip: SkippedIssueView): void {
    setNotice(undefined);
    void run(skip.id, async () => {
      await api.pageSkipped(skip.id);
      setNotice({ kind: 'success', message: `Paging ${skip.issue.label ?? skip.issue.id}: its incident opens in a moment; the Links tab shows it.` });
      await list.reload();
    });
  }
  const rules = useRuleNames();
  const shown = list.state.kind === 'loaded' ? list.state.page.items : undefined;
  const filter = useMemo(() => ruleFilter(rules, filters.rule, shown), [rules, filters.rule, shown]);
  const listed = useMemo(() => new Set((rules ?? []).map((rule) => rule.id)), [rules]);

  return (
    <ActivityList
      list={list}
      noun={NOUN}
      caption="Issues rules skipped, newest first"
      columns={COLUMNS}
      actionsColumn={isAdmin}
      notice={notice === undefined ? undefined : <Notice kind={notice.kind}>{notice.message}</Notice>}
      renderRow={(skip) => <SkippedRow skip={skip} ruleListed={listed.has(skip.rule.id)} isAdmin={isAdmin} paging={busy === skip.id} onPage={page} />}
      filtered={filters.rule !== ''}
      emptyText="No issue was skipped. A rule skips issues while it is paused by its safety valve or needs attention."
      autoRefresh={autoRefresh}
      onAutoRefreshChange={onAutoRefreshChange}
    >
      <FilterSelect filter={filter} value={filters.rule} onChange={(rule) => onFiltersChange({ ...filters, rule })} />
    </ActivityList>
  );
}
