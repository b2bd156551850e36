import { useId, useRef, useState } from 'react';
import { ApiRequestError, api, type PagerDutySubscriptionView } from '../../api/client.js';
import { Notice } from '../../components/Notice.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { PAGERDUTY_BADGES, PAGERDUTY_FALLBACK_DETAIL, type RowNotice } from './statuses.js';
import { WebhookFacts } from './WebhookFacts.js';

interface Props {
  subscriptions: PagerDutySubscriptionView[];
  isAdmin: boolean;
  onChanged: (subscription?: PagerDutySubscriptionView) => Promise<void>;
}

function SubscriptionRow({ subscription, isAdmin, onChanged }: { subscription: PagerDutySubscriptionView } & Omit<Props, 'subscriptions'>) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<RowNotice>();
  const detail = subscription.statusDetail ?? PAGERDUTY_FALLBACK_DETAIL[subscription.status];

  async function enable(): Promise<void> {
    setBusy(true);
    setNotice(undefined);
    try {
      const { subscription: updated } = await api.enablePagerDutySubscription(subscription.id);
      setNotice({
        kind: 'success',
        message: `Re-enabled: PagerDuty delivers ${subscription.serviceName}’s incident events to the hub again.`,
      });
      heading.current?.focus();
      await onChanged(updated);
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setNotice({ kind: 'error', message: caught.message });
      if (caught.status === 409 || caught.status === 404) await onChanged();
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="webhook-row" aria-labelledby={headingId}>
      <div className="webhook-row-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          {subscription.serviceName}
        </h3>
        <StatusBadge {...PAGERDUTY_BADGES[subscription.status]} />
      </div>
      {notice !== undefined && (
        <Notice kind={notice.kind}>
          <p>{notice.message}</p>
        </Notice>
      )}
      {detail !== null && <p className="webhook-detail">{detail}</p>}
      <WebhookFacts url={subscription.url} lastDeliveryAt={subscription.lastDeliveryAt} createdAt={subscription.createdAt} />
      {isAdmin && subscription.status === 'temporarily_disabled' && (
        <div className="card-actions">
          <button type="button" className="button button-primary button-small" disabled={busy} onClick={() => void enable()}>
            {busy ? 'Re-enabling…' : 'Re-enable'}
            <span className="visually-hidden"> the subscription for {subscription.serviceName}</span>
          </button>
        </div>
      )}
    </li>
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
