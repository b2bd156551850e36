import type { SessionResponse } from '../../api/client.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link } from '../../routing.js';
import { RulePage } from './RulePage.js';
import { RulesOverview } from './RulesOverview.js';

/**
 * Rules: which Linear issues page which PagerDuty service. /rules lists them in evaluation
 * order; /rules/new is the form for a new rule (/rules/new?copy=<id> prefilled from another);
 * /rules/<id> is one rule: its form (read-only for viewers), Test rule and history.
 */
export function RulesTab({ session, path }: { session: SessionResponse; path: string }) {
  const isAdmin = session.user.role === 'admin';
  if (path === '/rules') return <RulesOverview isAdmin={isAdmin} />;
  const rest = path.slice('/rules/'.length);
  if (rest === 'new') {
    const copyOf = new URLSearchParams(window.location.search).get('copy') ?? undefined;
    return <RulePage key={`new-${copyOf ?? ''}`} isAdmin={isAdmin} ruleId={undefined} copyOf={copyOf} />;
  }
  if (rest !== '' && !rest.includes('/')) {
    return <RulePage key={rest} isAdmin={isAdmin} ruleId={decodeURIComponent(rest)} copyOf={undefined} />;
  }
  return (
    <>
      <PageHeader title="Page not found">There is no page at {path}.</PageHeader>
      <p>
        <Link href="/rules">Go to Rules</Link>
      </p>
    </>
  );
}
