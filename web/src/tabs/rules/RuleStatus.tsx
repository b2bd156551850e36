import type { RuleView } from '../../api/client.js';
import { RelativeTime } from '../../components/Time.js';
import { missingSentence } from './rule-words.js';

/** Why a rule is Paused (the safety valve: when and why) or Needs attention (what is missing). */
export function RuleStatusDetail({ rule }: { rule: RuleView }) {
  if (rule.status === 'paused' && rule.paused !== null) {
    return (
      <p className="rule-status-detail">
        Paused <RelativeTime iso={rule.paused.at} />: {rule.paused.reason} Matching issues are recorded in Activity as
        skipped until an admin resumes the rule.
      </p>
    );
  }
  if (rule.status === 'needs_attention') {
    return <p className="rule-status-detail">{missingSentence(rule.missingReferences)}</p>;
  }
  return null;
}
