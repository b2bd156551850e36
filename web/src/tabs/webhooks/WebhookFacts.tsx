import type { LastRepairView } from '../../api/client.js';
import { CopyableText } from '../../components/CopyableText.js';
import { RelativeTime } from '../../components/Time.js';
import { formatDate } from '../../format.js';

interface Props {
  url: string;
  lastDeliveryAt: string | null;
  /** When the hub last checked it at the provider (a repair pass or Refresh). */
  lastCheckedAt: string | null;
  /** What the hub last repaired about it, and when. */
  lastRepair: LastRepairView | null;
  createdAt: string;
  createdBy?: string | null | undefined;
}

/** Where the provider delivers, when it last did, when the hub last checked and repaired it, and when it was created. */
export function WebhookFacts({ url, lastDeliveryAt, lastCheckedAt, lastRepair, createdAt, createdBy }: Props) {
  return (
    <div className="webhook-facts">
      <div className="webhook-url">
        <span className="webhook-fact-label">Delivery URL</span>
        <CopyableText text={url} label="delivery URL" />
      </div>
      <p>
        Last delivery: {lastDeliveryAt === null ? <span className="muted">none yet</span> : <RelativeTime iso={lastDeliveryAt} />}
        <span className="muted">
          {' '}
          · created {formatDate(createdAt)}
          {createdBy !== undefined && createdBy !== null && ` by ${createdBy}`}
        </span>
      </p>
      <p className="webhook-check">
        Last checked: {lastCheckedAt === null ? <span className="muted">not yet</span> : <RelativeTime iso={lastCheckedAt} />}
        {lastRepair !== null && (
          <>
            {' '}
            · <span className="webhook-repair">
              {lastRepair.what} <RelativeTime iso={lastRepair.at} />
            </span>
          </>
        )}
      </p>
    </div>
  );
}
