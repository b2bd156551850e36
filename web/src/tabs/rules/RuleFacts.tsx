import type { RuleView } from '../../api/client.js';
import { filterSummary, urgencyLabel } from './rule-words.js';

/** Team, a one-line summary of the filters, service and urgency. */
export function RuleFacts({ rule }: { rule: RuleView }) {
  const { filters, routing } = rule;
  return (
    <dl className="rule-facts">
      <div>
        <dt>Team</dt>
        <dd>{filters.team.name}</dd>
      </div>
      <div>
        <dt>Filters</dt>
        <dd>{filterSummary(filters)}</dd>
      </div>
      <div>
        <dt>Service</dt>
        <dd>{routing.service.name}</dd>
      </div>
      <div>
        <dt>Urgency</dt>
        <dd>
          {urgencyLabel(routing.urgency)}
          {routing.pagerdutyPriority !== null && ` · priority ${routing.pagerdutyPriority.name}`}
        </dd>
      </div>
    </dl>
  );
}
