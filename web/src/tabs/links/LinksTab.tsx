import type { SessionResponse } from '../../api/client.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link } from '../../routing.js';
import { LinkPage } from './LinkPage.js';
import { LinksOverview } from './LinksOverview.js';

/**
 * Links: every Linear issue the hub paged for and its PagerDuty incident. /links lists them
 * (search and filters in the address: /links?q=ENG-12&status=failed&rule=…); /links/<id> is one
 * link with its two-way timeline and, for admins, Re-sync now.
 */
export function LinksTab({ session, path }: { session: SessionResponse; path: string }) {
  const isAdmin = session.user.role === 'admin';
  if (path === '/links') return <LinksOverview />;
  const rest = path.slice('/links/'.length);
  if (rest !== '' && !rest.includes('/')) return <LinkPage key={rest} isAdmin={isAdmin} linkId={decodeURIComponent(rest)} />;
  return (
    <>
      <PageHeader title="Page not found">There is no page at {path}.</PageHeader>
      <p>
        <Link href="/links">Go to Links</Link>
      </p>
    </>
  );
}
