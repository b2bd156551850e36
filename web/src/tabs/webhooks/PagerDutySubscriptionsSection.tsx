import { useRef, useState } from 'react';
import { api, type PagerDutySubscriptionView } from '../../api/client.js';
import { useRowAction } from '../../components/useRowAction.js';
import { PAGERDUTY_BADGES, PAGERDUTY_FALLBACK_DETAIL, type RowNotice } from './statuses.js';
import { WebhookFacts } from './WebhookFacts.js';
import { WebhookRow } from './WebhookRow.js';

interface Props {
  subscriptions: PagerDutySubscriptionView[];
  isAdmin: boolean;
  onChanged: (subscription?: PagerDutySubscriptionView) => Promise<void>;
}

function SubscriptionRow({ subscription, isAdmin, onChanged }: { subscription: PagerDutySubscriptionView } & Omit<Props, 'subscriptions'>) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [notice, setNotice] = useState<RowNotice>();
  const { busy, run } = useRowAction<'enable'>((message) => setNotice({ kind: 'error', message }), onChanged);
  const enabling = busy === 'enable';
  const detail = subscription.statusDetail ?? PAGERDUTY_FALLBACK_DETAIL[subscription.status];

  function enable(): Promise<void> {
    setNotice(undefined);
    return run('enable', async () => {
      const { subscription: updated } = await api.enablePagerDutySubscription(subscription.id);
      setNotice({
        kind: 'success',
        message: `Re-enabled: PagerDuty delivers ${subscription.serviceName}’s incident events to the hub again.`,
      });
      heading.current?.focus();
      await onChanged(updated);
    });
  }

  return (
    <WebhookRow
      title={subscription.serviceName}
      headingRef={heading}
      badge={PAGERDUTY_BADGES[subscription.status]}
      notice={notice}
      detail={detail}
    >
      <WebhookFacts
        url={subscription.url}
        lastDeliveryAt={subscription.lastDeliveryAt}
        lastCheckedAt={subscription.lastCheckedAt}
        lastRepair={subscription.lastRepair}
        createdAt={subscription.createdAt}
      />
      <p className="webhook-rules">
        {subscription.rules.length === 0 ? (
          <span className="muted">No enabled rule uses it any more: the hub deletes it shortly.</span>
        ) : (
          <>Used by {subscription.rules.length === 1 ? 'rule' : 'rules'}: {subscription.rules.map((rule) => rule.name).join(', ')}</>
        )}
      </p>
      {isAdmin && subscription.status === 'temporarily_disabled' && (
        <div className="card-actions">
          <button type="button" className="button button-primary button-small" disabled={enabling} onClick={() => void enable()}>
            {enabling ? 'Re-enabling…' : 'Re-enable'}
            <span className="visually-hidden"> the subscription for {subscription.serviceName}</span>
          </button>
        </div>
      )}
    </WebhookRow>
  );
}

/** One webhook subscription per PagerDuty service a rule targets, shared by those rules (SPEC §1.6). */
export function PagerDutySubscriptionsSection({ subscriptions, isAdmin, onChanged }: Props) {
  const needsAttention = subscriptions.some((subscription) => subscription.status === 'temporarily_disabled');
  return (
    <section className="card section" aria-labelledby="pagerduty-subscriptions-heading">
      <div className="section-head">
        <h2 id="pagerduty-subscriptions-heading">PagerDuty webhook subscriptions</h2>
        <p className="muted">
          Each watches every incident of one service and is shared by all the rules that page that service.
        </p>
      </div>
      {!isAdmin && needsAttention && <p className="readonly-note">Only admins can re-enable a subscription.</p>}
      {subscriptions.length === 0 ? (
        <p className="resource-empty">The hub creates one subscription per PagerDuty service when a rule targets it.</p>
      ) : (
        <ul className="webhook-list" aria-label="PagerDuty webhook subscriptions">
          {subscriptions.map((subscription) => (
            <SubscriptionRow key={subscription.id} subscription={subscription} isAdmin={isAdmin} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}
