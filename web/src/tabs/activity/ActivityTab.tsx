import { EmptyState } from '../../components/EmptyState.js';
import { ActivityIcon } from '../../components/Icons.js';
import { PageHeader } from '../../components/PageHeader.js';

/** Activity: every delivery received and every job run. */
export function ActivityTab() {
  return (
    <>
      <PageHeader title="Activity">A record of everything the hub receives and does, newest first.</PageHeader>
      <EmptyState icon={<ActivityIcon />} title="No activity yet">
        <p>
          Every webhook delivery received from PagerDuty or Linear and every job the hub runs — incidents created, issues
          moved, comments and notes mirrored — will appear here with its time and outcome.
        </p>
      </EmptyState>
    </>
  );
}
