import type { LinearWebhookView, PagerDutySubscriptionView } from '../../api/client.js';
import type { BadgeInfo } from '../../components/StatusBadge.js';

export const LINEAR_BADGES: Record<LinearWebhookView['status'], BadgeInfo> = {
  active: { label: 'Active', tone: 'ok' },
  failing: { label: 'Failing', tone: 'warning' },
  disabled: { label: 'Disabled at Linear', tone: 'problem' },
  missing: { label: 'Missing', tone: 'problem' },
  unknown: { label: 'Unknown', tone: 'idle' },
};

/** A team without a hub webhook. */
export const NO_WEBHOOK_BADGE: BadgeInfo = { label: 'No webhook', tone: 'idle' };

/** Said when the hub gave no statusDetail for a status that needs explaining. */
export const LINEAR_FALLBACK_DETAIL: Record<LinearWebhookView['status'], string | null> = {
  active: null,
  failing: 'The hub refused the latest deliveries from this webhook.',
  disabled: 'Linear has disabled this webhook, so it delivers nothing to the hub.',
  missing: 'This webhook no longer exists at Linear.',
  unknown: 'The hub is still setting this webhook up, or could not check it at Linear.',
};

export const PAGERDUTY_BADGES: Record<PagerDutySubscriptionView['status'], BadgeInfo> = {
  active: { label: 'Active', tone: 'ok' },
  failing: { label: 'Failing', tone: 'warning' },
  temporarily_disabled: { label: 'Needs attention', tone: 'warning' },
  disabled: { label: 'Disabled', tone: 'problem' },
  missing: { label: 'Missing', tone: 'problem' },
  unknown: { label: 'Unknown', tone: 'idle' },
};

export const PAGERDUTY_FALLBACK_DETAIL: Record<PagerDutySubscriptionView['status'], string | null> = {
  active: null,
  failing: 'The hub refused the latest deliveries from this subscription.',
  temporarily_disabled: 'PagerDuty stopped delivering to this subscription after repeated failures. Re-enable it to resume.',
  disabled: 'This subscription is disabled at PagerDuty, so it delivers nothing to the hub.',
  missing: 'This subscription no longer exists at PagerDuty.',
  unknown: 'The hub could not check this subscription at PagerDuty.',
};

/** A message shown on one webhook's row: the outcome of a click on it. */
export interface RowNotice {
  kind: 'success' | 'error';
  message: string;
}
