/** The colour of a badge: what the status means for the reader, not what it is called. */
export type BadgeTone = 'ok' | 'problem' | 'warning' | 'info' | 'idle';

export interface BadgeInfo {
  label: string;
  tone: BadgeTone;
}

/**
 * A status as a coloured pill. The colour is never the only cue: the label is text, and
 * screen readers hear it with its meaning first ("Status: Active", "Outcome: Failed").
 */
export function StatusBadge({ label, tone, prefix = 'Status' }: BadgeInfo & { prefix?: string }) {
  return (
    <span className={`status status-${tone}`}>
      <span className="visually-hidden">{prefix}: </span>
      {label}
    </span>
  );
}
