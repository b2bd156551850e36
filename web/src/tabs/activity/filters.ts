import type { DeliveryView, JobView, Provider, SkippedIssueView } from '../../api/client.js';
import type { BadgeInfo } from '../../components/StatusBadge.js';

export type ActivityView = 'deliveries' | 'jobs' | 'skipped' | 'reconciliation';
const VIEW_IDS: readonly ActivityView[] = ['deliveries', 'jobs', 'skipped', 'reconciliation'];

export interface DeliveryFilters {
  provider: Provider | '';
  outcome: DeliveryView['outcome'] | '';
}

export interface JobFilters {
  status: JobView['status'] | '';
  /** Exact job kind; '' for all. */
  kind: string;
}

export interface SkippedFilters {
  /** A rule's id: only its skips; '' for all. */
  rule: string;
}

export const PROVIDER_LABELS: Record<Provider, string> = { pagerduty: 'PagerDuty', linear: 'Linear' };

export const OUTCOME_BADGES: Record<DeliveryView['outcome'], BadgeInfo> = {
  received: { label: 'Received', tone: 'info' },
  processed: { label: 'Processed', tone: 'ok' },
  ignored: { label: 'Ignored', tone: 'idle' },
  failed: { label: 'Failed', tone: 'problem' },
};

export const JOB_STATUS_BADGES: Record<JobView['status'], BadgeInfo> = {
  queued: { label: 'Queued', tone: 'info' },
  running: { label: 'Running', tone: 'warning' },
  succeeded: { label: 'Succeeded', tone: 'ok' },
  dead: { label: 'Dead', tone: 'problem' },
};

export const SKIP_REASON_BADGES: Record<SkippedIssueView['reason'], BadgeInfo> = {
  paused: { label: 'Paused', tone: 'warning' },
  needs_attention: { label: 'Needs attention', tone: 'problem' },
};

const PROVIDERS = Object.keys(PROVIDER_LABELS) as Provider[];
const OUTCOMES = Object.keys(OUTCOME_BADGES) as Array<DeliveryView['outcome']>;
const STATUSES = Object.keys(JOB_STATUS_BADGES) as Array<JobView['status']>;

const ALL = { value: '', label: 'All' } as const;
const PROVIDER_OPTIONS = [ALL, ...PROVIDERS.map((value) => ({ value, label: PROVIDER_LABELS[value] }))];
const OUTCOME_OPTIONS = [ALL, ...OUTCOMES.map((value) => ({ value, label: OUTCOME_BADGES[value].label }))];
const STATUS_OPTIONS = [ALL, ...STATUSES.map((value) => ({ value, label: JOB_STATUS_BADGES[value].label }))];

function oneOf<T extends string>(values: readonly T[], value: string | null): T | '' {
  return values.find((candidate) => candidate === value) ?? '';
}

export const parseProvider = (value: string | null) => oneOf(PROVIDERS, value);
export const parseOutcome = (value: string | null) => oneOf(OUTCOMES, value);
export const parseStatus = (value: string | null) => oneOf(STATUSES, value);

/** A filter offered as a select: its label, its choices ('' for All), and how a chosen value is read. */
export interface SelectFilter<V extends string> {
  label: string;
  options: ReadonlyArray<{ value: V | ''; label: string }>;
  parse: (value: string | null) => V | '';
}

export const PROVIDER_FILTER: SelectFilter<Provider> = { label: 'Provider', options: PROVIDER_OPTIONS, parse: parseProvider };
export const OUTCOME_FILTER: SelectFilter<DeliveryView['outcome']> = { label: 'Outcome', options: OUTCOME_OPTIONS, parse: parseOutcome };
export const STATUS_FILTER: SelectFilter<JobView['status']> = { label: 'Status', options: STATUS_OPTIONS, parse: parseStatus };

export interface ActivityAddress {
  view: ActivityView;
  deliveries: DeliveryFilters;
  jobs: JobFilters;
  skipped: SkippedFilters;
}

/**
 * The Activity page's state from its address: /activity?view=jobs&status=dead,
 * /activity?view=skipped&rule=rul_…, /activity?view=reconciliation. Unknown values are ignored.
 */
export function readAddress(search: string): ActivityAddress {
  const params = new URLSearchParams(search);
  return {
    view: oneOf(VIEW_IDS, params.get('view')) || 'deliveries',
    deliveries: { provider: parseProvider(params.get('provider')), outcome: parseOutcome(params.get('outcome')) },
    jobs: { status: parseStatus(params.get('status')), kind: params.get('kind')?.trim() ?? '' },
    skipped: { rule: params.get('rule')?.trim() ?? '' },
  };
}

/** The address for the shown view and its filters (the other view's filters are not kept). */
export function addressFor({ view, deliveries, jobs, skipped }: ActivityAddress): string {
  const params = new URLSearchParams();
  if (view === 'jobs') {
    params.set('view', 'jobs');
    if (jobs.status !== '') params.set('status', jobs.status);
    if (jobs.kind !== '') params.set('kind', jobs.kind);
  } else if (view === 'skipped') {
    params.set('view', 'skipped');
    if (skipped.rule !== '') params.set('rule', skipped.rule);
  } else if (view === 'reconciliation') {
    params.set('view', 'reconciliation');
  } else {
    if (deliveries.provider !== '') params.set('provider', deliveries.provider);
    if (deliveries.outcome !== '') params.set('outcome', deliveries.outcome);
  }
  const search = params.toString();
  return search === '' ? '/activity' : `/activity?${search}`;
}
