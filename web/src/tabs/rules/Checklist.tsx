import type { RulesResponse } from '../../api/client.js';
import { CheckIcon, CircleIcon } from '../../components/Icons.js';
import { Link } from '../../routing.js';

/** What rules need (SPEC §1.5), each with where it is fixed. */
function items(checklist: RulesResponse['checklist']) {
  return [
    { label: 'PagerDuty connected', done: checklist.pagerdutyConnected, fix: { href: '/connections', text: 'Go to Connections' } },
    { label: 'Linear connected', done: checklist.linearConnected, fix: { href: '/connections', text: 'Go to Connections' } },
    { label: 'At least one Linear team webhook', done: checklist.teamWebhooks.length > 0, fix: { href: '/webhooks', text: 'Go to Webhooks' } },
  ];
}

export function checklistComplete(checklist: RulesResponse['checklist']): boolean {
  return items(checklist).every((item) => item.done);
}

/** "Before you can create a rule": each prerequisite Done or Not yet, with a link to where it is fixed. */
export function Checklist({ checklist }: { checklist: RulesResponse['checklist'] }) {
  return (
    <>
      <h3 className="checklist-title" id="rules-checklist-title">
        Before you can create a rule
      </h3>
      <ul className="checklist" aria-labelledby="rules-checklist-title">
        {items(checklist).map((item) => (
          <li key={item.label}>
            <span className={item.done ? 'checklist-icon checklist-icon-done' : 'checklist-icon'} aria-hidden="true">
              {item.done ? <CheckIcon /> : <CircleIcon />}
            </span>
            <span>
              {item.label}
              {!item.done && (
                <>
                  {' '}
                  <Link href={item.fix.href} className="checklist-fix">
                    {item.fix.text}
                  </Link>
                </>
              )}
            </span>
            <span className={item.done ? 'status status-ok' : 'status status-idle'}>{item.done ? 'Done' : 'Not yet'}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
