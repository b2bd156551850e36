import { EmptyState } from '../../components/EmptyState.js';
import { PlugIcon } from '../../components/Icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ConnectionCard } from './ConnectionCard.js';

/**
 * Connections: one card per service. Until OAuth connecting ships (next issue) the cards say
 * so plainly and offer no buttons that would do nothing.
 */
export function ConnectionsTab() {
  return (
    <>
      <PageHeader title="Connections">
        The PagerDuty account and the Linear workspace this organisation syncs. Each is connected by OAuth and can be
        disconnected at any time.
      </PageHeader>
      <EmptyState icon={<PlugIcon />} title="Connect PagerDuty and Linear to start syncing">
        <p>
          The PagerDuty and Linear connection cards below will show each connection — account or workspace, status and
          teams. Connect PagerDuty first, then Linear: the hub then loads your PagerDuty services and Linear teams so you
          can create rules.
        </p>
      </EmptyState>
      <div className="card-grid">
        <ConnectionCard
          name="PagerDuty"
          mark="PD"
          summary="One PagerDuty account. The hub reads its services, creates and updates incidents, adds notes and creates a webhook subscription per service."
          requirement="Needs a Manager, Admin or Global Admin role on a Professional, Business or Enterprise plan."
        />
        <ConnectionCard
          name="Linear"
          mark="LN"
          summary="One Linear workspace. The hub reads teams, projects and labels, updates issues, adds comments and creates a webhook per team."
          requirement="Needs a Member or Admin role; the hub asks for Linear's admin scope because only admins may create webhooks."
        />
      </div>
    </>
  );
}
