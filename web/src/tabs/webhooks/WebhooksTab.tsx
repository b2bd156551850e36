import { EmptyState } from '../../components/EmptyState.js';
import { WebhookIcon } from '../../components/Icons.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link } from '../../routing.js';

/** Webhooks: the Linear team webhooks and PagerDuty subscriptions the hub creates and looks after. */
export function WebhooksTab() {
  return (
    <>
      <PageHeader title="Webhooks">
        The hub creates every webhook it needs on both sides, watches them and re-creates any that are disabled or
        deleted.
      </PageHeader>
      <EmptyState icon={<WebhookIcon />} title="No webhooks yet">
        <p>
          Linear team webhooks and PagerDuty service subscriptions will be listed here once Linear is connected, with
          each one&rsquo;s status and last delivery.
        </p>
        <ul className="plain-list">
          <li>
            <strong>Linear team webhooks</strong> — one per team (for example Engineering, Support, Product). Every rule
            builds on one.
          </li>
          <li>
            <strong>PagerDuty service subscriptions</strong> — one per service a rule pages, shared by all rules on that
            service.
          </li>
        </ul>
        <p>
          <Link href="/connections">Go to Connections</Link>
        </p>
      </EmptyState>
    </>
  );
}
