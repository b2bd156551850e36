import { useEffect, useMemo, useState, type SubmitEvent } from 'react';
import { api, type LinkView } from '../../api/client.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { NoValue, RelativeTime } from '../../components/Time.js';
import { Link } from '../../routing.js';
import { ActivityList } from '../activity/ActivityList.js';
import { FilterSelect } from '../activity/ListControls.js';
import { useFilteredPagedList, type FilterQuery, type Page } from '../activity/paged-list.js';
import { linksAddress, readLinkFilters, type LinkFilters } from './links-address.js';
import { INCIDENT_STATUS_LABELS, LINK_STATUS_BADGES, LINK_STATUSES } from './link-words.js';
import { useRuleNames } from '../../components/useRuleNames.js';

const NOUN = ['link', 'links'] as const;
const COLUMNS = ['Issue', 'Incident', 'Rule', 'Linear state', 'PagerDuty status', 'Last activity', 'Status'];
const STATUS_FILTER = {
  label: 'Status',
  options: [{ value: '' as const, label: 'All' }, ...LINK_STATUSES.map((value) => ({ value, label: LINK_STATUS_BADGES[value].label }))],
  parse: (value: string | null) => LINK_STATUSES.find((status) => status === value) ?? '',
};

async function fetchLinks(query: FilterQuery<LinkFilters>, cursor: string | undefined): Promise<Page<LinkView>> {
  const { links, nextCursor } = await api.links({ ...query, cursor });
  return { items: links, nextCursor };
}

function LinkRow({ link }: { link: LinkView }) {
  const { issue, incident } = link;
  return (
    <tr>
      <th scope="row">
        <a href={issue.url} target="_blank" rel="noreferrer">
          {issue.identifier}
        </a>
        <span className="muted"> {issue.title}</span>
      </th>
      <td>
        {incident === null ? (
          <NoValue />
        ) : (
          <a href={incident.url} target="_blank" rel="noreferrer">
            #{incident.number}
          </a>
        )}
      </td>
      <td>{link.rule.name}</td>
      <td>{issue.state === null ? <NoValue /> : issue.state.name}</td>
      <td>{incident === null ? <NoValue /> : INCIDENT_STATUS_LABELS[incident.status]}</td>
      <td className="cell-time">
        <RelativeTime iso={link.lastActivityAt} />
      </td>
      <td>
        <StatusBadge {...LINK_STATUS_BADGES[link.status]} />{' '}
        <Link href={`/links/${encodeURIComponent(link.id)}`}>
          Details<span className="visually-hidden"> of {issue.identifier}</span>
        </Link>
      </td>
    </tr>
  );
}

/** Every link, the latest activity first: search by identifier or incident number, filter by status and rule. */
export function LinksOverview() {
  const [filters, setFilters] = useState<LinkFilters>(() => readLinkFilters(window.location.search));
  const [searchText, setSearchText] = useState(filters.q);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const list = useFilteredPagedList(filters, fetchLinks, autoRefresh);
  const rules = useRuleNames();

  useEffect(() => {
    const target = linksAddress(filters);
    if (target !== window.location.pathname + window.location.search) window.history.replaceState(null, '', target);
  }, [filters]);

  const ruleFilter = useMemo(() => {
    const options = [{ value: '', label: 'All rules' }, ...(rules ?? []).map((rule) => ({ value: rule.id, label: rule.name }))];
    if (filters.rule !== '' && !options.some((option) => option.value === filters.rule)) options.push({ value: filters.rule, label: filters.rule });
    return { label: 'Rule', options, parse: (value: string | null) => value ?? '' };
  }, [rules, filters.rule]);

  function search(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    setFilters((previous) => ({ ...previous, q: searchText.trim() }));
  }

  return (
    <>
      <PageHeader title="Links">
        Every Linear issue the hub paged for and its PagerDuty incident: the state on each side, the last activity, and
        whether the two are in sync. Open one for its two-way timeline.
      </PageHeader>
      <section className="card section">
        <form className="links-search" role="search" onSubmit={search}>
          <label htmlFor="links-search-input">Search by issue or incident</label>
          <input
            id="links-search-input"
            type="search"
            placeholder="ENG-12 or #7"
            value={searchText}
            maxLength={100}
            onChange={(event) => setSearchText(event.target.value)}
          />
          <button type="submit" className="button button-secondary button-small">
            Search
          </button>
        </form>
        <ActivityList
          list={list}
          noun={NOUN}
          caption="Links, the latest activity first"
          columns={COLUMNS}
          renderRow={(link) => <LinkRow link={link} />}
          filtered={filters.q !== '' || filters.status !== '' || filters.rule !== ''}
          emptyText="No link yet. A link appears when a rule pages PagerDuty for a Linear issue."
          autoRefresh={autoRefresh}
          onAutoRefreshChange={setAutoRefresh}
        >
          <FilterSelect filter={STATUS_FILTER} value={filters.status} onChange={(status) => setFilters((previous) => ({ ...previous, status }))} />
          <FilterSelect filter={ruleFilter} value={filters.rule} onChange={(rule) => setFilters((previous) => ({ ...previous, rule }))} />
        </ActivityList>
      </section>
    </>
  );
}
