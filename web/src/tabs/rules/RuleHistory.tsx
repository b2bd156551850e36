import type { RuleHistoryEntry } from '../../api/client.js';
import { Timestamp } from '../../components/Time.js';

const ACTION_WORDS: Record<RuleHistoryEntry['action'], string> = {
  created: 'Created',
  updated: 'Changed',
  enabled: 'Enabled',
  disabled: 'Disabled',
  moved: 'Moved',
  paused: 'Paused',
  resumed: 'Resumed',
  needs_attention: 'Needs attention',
  references_restored: 'References restored',
  imported: 'Imported',
  deleted: 'Deleted',
};

/** Who created or changed the rule and when, newest first; null `by` is the hub itself. */
export function RuleHistory({ history }: { history: RuleHistoryEntry[] }) {
  return (
    <section className="card section" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {history.length === 0 ? (
        <p className="muted">No changes recorded yet.</p>
      ) : (
        <ol className="rule-history">
          {history.map((entry, index) => (
            <li key={`${entry.at}-${index}`}>
              <p>
                <strong>{ACTION_WORDS[entry.action]}</strong> by {entry.by?.name ?? 'the hub'} · <Timestamp iso={entry.at} />
              </p>
              {entry.changes.length > 0 && (
                <ul className="plain-list rule-history-changes">
                  {entry.changes.map((change) => (
                    <li key={change}>{change}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
