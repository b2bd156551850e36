import type { RulesResponse } from '../../api/client.js';
import { Link } from '../../routing.js';

type BlockedBy = NonNullable<RulesResponse['blockedBy']>;

/** Where what blocks rules is fixed. */
const FIX: Record<BlockedBy['code'], { href: string; text: string }> = {
  not_connected: { href: '/connections', text: 'Go to Connections' },
  connection_disconnected: { href: '/connections', text: 'Go to Connections' },
  no_team_webhook: { href: '/webhooks', text: 'Go to Webhooks' },
};

/**
 * Why rules cannot be created or edited now, in the hub's words, and where to fix it. Buttons
 * it disables point here with aria-describedby (`id`).
 */
export function BlockedNotice({ blockedBy, id }: { blockedBy: BlockedBy; id: string }) {
  const fix = FIX[blockedBy.code];
  return (
    <div className="notice notice-info" id={id}>
      <p>
        <strong>Rules cannot be created or edited now.</strong> {blockedBy.message}
        {blockedBy.code === 'connection_disconnected' && ' Existing rules stay and resume when the connection is back.'}
      </p>
      <p>
        <Link href={fix.href}>{fix.text}</Link>
      </p>
    </div>
  );
}
