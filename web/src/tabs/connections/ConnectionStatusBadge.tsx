import type { ConnectionView } from '../../api/client.js';

const BADGES: Record<ConnectionView['status'], { label: string; className: string }> = {
  connected: { label: 'Connected', className: 'status status-ok' },
  disconnected: { label: 'Disconnected', className: 'status status-problem' },
  not_connected: { label: 'Not connected', className: 'status status-idle' },
};

/** The connection's status as a coloured pill; screen readers hear "Status: Connected". */
export function ConnectionStatusBadge({ status }: { status: ConnectionView['status'] }) {
  const badge = BADGES[status];
  return (
    <span className={badge.className}>
      <span className="visually-hidden">Status: </span>
      {badge.label}
    </span>
  );
}
