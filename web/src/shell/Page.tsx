import type { MetaResponse, SessionResponse } from '../api/client.js';
import { PageHeader } from '../components/PageHeader.js';
import { DEFAULT_PATH, Link } from '../routing.js';
import { ActivityTab } from '../tabs/activity/ActivityTab.js';
import { ConnectionsTab } from '../tabs/connections/ConnectionsTab.js';
import { LinksTab } from '../tabs/links/LinksTab.js';
import { RulesTab } from '../tabs/rules/RulesTab.js';
import { SettingsTab } from '../tabs/settings/SettingsTab.js';
import { WebhooksTab } from '../tabs/webhooks/WebhooksTab.js';

interface Props {
  path: string;
  meta: MetaResponse;
  session: SessionResponse;
  onSessionChanged: () => Promise<void>;
}

/** The tab for the current path (the app corrects "/", "/login" and "/setup" itself). */
export function Page({ path, meta, session, onSessionChanged }: Props) {
  // The Rules tab has pages of its own: /rules/new, /rules/<id>.
  if (path.startsWith('/rules/')) return <RulesTab session={session} path={path} />;
  // The Links tab has a page per link: /links/<id>.
  if (path === '/links' || path.startsWith('/links/')) return <LinksTab session={session} path={path} />;
  switch (path) {
    case '/connections':
    case '/':
    case '/login':
    case '/setup':
      return <ConnectionsTab session={session} meta={meta} />;
    case '/webhooks':
      return <WebhooksTab session={session} />;
    case '/rules':
      return <RulesTab session={session} path={path} />;
    case '/activity':
      return <ActivityTab session={session} retentionDays={meta.retentionDays} />;
    case '/settings':
      return <SettingsTab session={session} onSessionChanged={onSessionChanged} />;
    default:
      return (
        <>
          <PageHeader title="Page not found">There is no page at {path}.</PageHeader>
          <p>
            <Link href={DEFAULT_PATH}>Go to Connections</Link>
          </p>
        </>
      );
  }
}
