/**
 * The reconciliation in words (docs/reconciliation.md): drift kinds, durations and intervals as
 * the Activity tab's summary line says them. Pure, so the line reads the same wherever it is made.
 */

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * One phrase per drift kind, for a count of pairs. The kinds come from the hub
 * (src/reconcile/drift.ts, in that order); a kind this app does not know is said by its name.
 */
const DRIFT_PHRASES: Record<string, (n: number) => string> = {
  issue_state: (n) => `${plural(n, 'state', 'states')} moved in Linear`,
  issue_deleted: (n) => `${plural(n, 'issue', 'issues')} deleted in Linear`,
  incident_status: (n) => `${plural(n, 'incident status', 'incident statuses')} changed in PagerDuty`,
  incident_merged: (n) => `${plural(n, 'incident', 'incidents')} merged in PagerDuty`,
  service_move: (n) => `${plural(n, 'incident', 'incidents')} moved to another service`,
  note: (n) => `notes missed on ${plural(n, 'incident', 'incidents')}`,
  comment: (n) => `comments missed on ${plural(n, 'issue', 'issues')}`,
  missed_create: (n) => plural(n, 'missed create', 'missed creates'),
};

/** "2 states moved in Linear, 1 missed create": the kinds with a count, known kinds first, in the hub's order. */
export function driftWords(drifts: Record<string, number>): string {
  const known = Object.keys(DRIFT_PHRASES);
  const unknown = Object.keys(drifts)
    .filter((kind) => !known.includes(kind))
    .sort();
  return [...known, ...unknown]
    .flatMap((kind) => {
      const n = drifts[kind] ?? 0;
      if (n <= 0) return [];
      const phrase = DRIFT_PHRASES[kind];
      return [phrase === undefined ? `${n} × ${kind.replaceAll('_', ' ')}` : phrase(n)];
    })
    .join(', ');
}

/** How many drifts in all. */
export function driftTotal(drifts: Record<string, number>): number {
  return Object.values(drifts).reduce((sum, n) => sum + n, 0);
}

/** "0.4 s", "12 s", "2 min 5 s": how long a sweep took. */
export function durationWords(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toString()} s`;
  if (seconds < 60) return `${Math.round(seconds).toString()} s`;
  const whole = Math.round(seconds);
  const rest = whole % 60;
  return `${Math.floor(whole / 60).toString()} min${rest === 0 ? '' : ` ${rest.toString()} s`}`;
}

/** "5 minutes", "1 hour", "90 seconds": RECONCILE_INTERVAL_SECONDS for people. */
export function intervalWords(seconds: number): string {
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour', 'hours');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute', 'minutes');
  return plural(seconds, 'second', 'seconds');
}

/** "1 pair", "120 pairs". */
export const pairs = (n: number) => plural(n, 'pair', 'pairs');
export const driftCount = (n: number) => plural(n, 'drift', 'drifts');
