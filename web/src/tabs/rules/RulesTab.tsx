import { EmptyState } from '../../components/EmptyState.js';
import { CircleIcon, RuleIcon } from '../../components/Icons.js';
import { PageHeader } from '../../components/PageHeader.js';

const PREREQUISITES = ['PagerDuty connected', 'Linear connected', 'At least one Linear team webhook'];

/** Rules: which Linear issues page which PagerDuty service. */
export function RulesTab() {
  return (
    <>
      <PageHeader title="Rules">Rules decide which Linear issues page someone in PagerDuty.</PageHeader>
      <EmptyState icon={<RuleIcon />} title="No rules yet">
        <p>
          A rule pages a PagerDuty service when a Linear issue matches its filters — team, priority, status type, and
          optionally projects and labels — with the urgency you choose. When the incident is acknowledged or resolved,
          the issue moves to the status you pick, and comments and notes are mirrored both ways.
        </p>
        <h3 className="checklist-title">Before you can create a rule</h3>
        <ul className="checklist">
          {PREREQUISITES.map((item) => (
            <li key={item}>
              <span className="checklist-icon" aria-hidden="true">
                <CircleIcon />
              </span>
              <span>{item}</span>
              <span className="status status-idle">Not yet</span>
            </li>
          ))}
        </ul>
      </EmptyState>
    </>
  );
}
