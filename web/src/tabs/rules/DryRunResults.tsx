import type { DryRunResponse } from '../../api/client.js';
import { dryRunOutcome, priorityLabel } from './rule-words.js';

/**
 * Test rule's answer: the team's most recent issues, each with whether this rule would page it
 * and, when not, which filter excluded it, or the earlier rule that takes it.
 */
export function DryRunResults({ result, heading }: { result: DryRunResponse; heading: string }) {
  const { issues, team } = result;
  return (
    <section className="dry-run" aria-label={heading}>
      <p role="status">
        <strong>
          {result.wouldPage} of {issues.length} recent {issues.length === 1 ? 'issue' : 'issues'} of {team.name} would page.
        </strong>{' '}
        Nothing was sent to PagerDuty.
      </p>
      {issues.length > 0 && (
        <div className="table-wrap table-scroll">
          <table className="table dry-run-table">
            <caption className="visually-hidden">{heading}</caption>
            <thead>
              <tr>
                <th scope="col">Issue</th>
                <th scope="col">Title</th>
                <th scope="col">Priority</th>
                <th scope="col">State</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((issue) => (
                <tr key={issue.id} className={issue.wouldPage ? 'dry-run-pages' : undefined}>
                  <th scope="row">
                    <a href={issue.url} target="_blank" rel="noreferrer">
                      {issue.identifier}
                    </a>
                  </th>
                  <td>{issue.title}</td>
                  <td>{priorityLabel(issue.priority)}</td>
                  <td>{issue.state.name}</td>
                  <td className={issue.wouldPage ? 'dry-run-yes' : 'muted'}>{dryRunOutcome(issue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
