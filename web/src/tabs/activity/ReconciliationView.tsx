import type { HealedView } from '../../api/client.js';
import { NoValue, Timestamp } from '../../components/Time.js';
import { Link } from '../../routing.js';
import { fetchHealed } from './activity-pages.js';
import { ActivityList } from './ActivityList.js';
import { usePagedList } from './paged-list.js';

interface Props {
  autoRefresh: boolean;
  onAutoRefreshChange: (on: boolean) => void;
}

const NOUN = ['healed change', 'healed changes'] as const;
const COLUMNS = ['Healed', 'Issue', 'Incident', 'What was found'];

function HealedRow({ healed }: { healed: HealedView }) {
  return (
    <tr>
      <th scope="row" className="cell-time">
        <Timestamp iso={healed.at} />
      </th>
      <td>
        <Link href={`/links/${encodeURIComponent(healed.linkId)}`}>{healed.issue}</Link>
      </td>
      <td>{healed.incidentNumber === null ? <NoValue /> : `#${healed.incidentNumber.toString()}`}</td>
      <td>{healed.summary}</td>
    </tr>
  );
}

/**
 * What the reconciliation found and healed — changes whose webhook never reached the hub — newest
 * first (docs/reconciliation.md). Each names its issue, which opens the link's page and timeline.
 */
export function ReconciliationView({ autoRefresh, onAutoRefreshChange }: Props) {
  const list = usePagedList(fetchHealed, autoRefresh);

  return (
    <ActivityList
      list={list}
      noun={NOUN}
      caption="Changes the reconciliation healed, newest first"
      columns={COLUMNS}
      renderRow={(healed) => <HealedRow healed={healed} />}
      filtered={false}
      emptyText="Nothing healed yet. The reconciliation reads both sides of every open link on a schedule; each change a lost webhook left behind is healed and listed here."
      autoRefresh={autoRefresh}
      onAutoRefreshChange={onAutoRefreshChange}
    />
  );
}
