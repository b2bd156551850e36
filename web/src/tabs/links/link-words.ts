import type { LinkStatusValue, LinkView, Provider, TimelineEntryView } from '../../api/client.js';
import type { BadgeInfo } from '../../components/StatusBadge.js';

/** What a link's status is called and how it looks (docs/bidirectional-sync.md § Links). */
export const LINK_STATUS_BADGES: Record<LinkStatusValue, BadgeInfo> = {
  opening: { label: 'Opening', tone: 'info' },
  in_sync: { label: 'In sync', tone: 'ok' },
  retrying: { label: 'Retrying', tone: 'warning' },
  failed: { label: 'Failed', tone: 'problem' },
  waiting: { label: 'Waiting', tone: 'warning' },
  closed: { label: 'Closed', tone: 'idle' },
};

export const LINK_STATUSES = Object.keys(LINK_STATUS_BADGES) as LinkStatusValue[];

export const PROVIDER_LABELS: Record<Provider, string> = { pagerduty: 'PagerDuty', linear: 'Linear' };

export const INCIDENT_STATUS_LABELS: Record<NonNullable<LinkView['incident']>['status'], string> = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/** Which way a timeline entry flows, as an arrow and in words for screen readers. */
export const DIRECTIONS: Record<TimelineEntryView['direction'], { arrow: string; words: string }> = {
  issue_to_incident: { arrow: 'Linear → PagerDuty', words: 'Linear to PagerDuty' },
  incident_to_issue: { arrow: 'PagerDuty → Linear', words: 'PagerDuty to Linear' },
  none: { arrow: '—', words: 'neither way' },
};

export const ENTRY_KINDS: Record<TimelineEntryView['kind'], BadgeInfo> = {
  received: { label: 'Event received', tone: 'info' },
  action: { label: 'Action taken', tone: 'ok' },
  echo: { label: 'Echo of the hub’s own change, dropped', tone: 'idle' },
  skipped: { label: 'Skipped', tone: 'idle' },
  failed: { label: 'Failed', tone: 'problem' },
};

/** "Linear is Disconnected and PagerDuty not connected: sync waits; nothing is lost." */
export function waitingSentence(waitingFor: LinkView['waitingFor']): string {
  const parts = waitingFor.map(({ provider, status }) => `${PROVIDER_LABELS[provider]} is ${status === 'disconnected' ? 'Disconnected' : 'not connected'}`);
  return `${parts.join(' and ')}: sync waits; nothing is lost. It resumes when reconnected on the Connections tab.`;
}
