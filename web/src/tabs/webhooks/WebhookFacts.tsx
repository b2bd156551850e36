import { CopyableText } from '../../components/CopyableText.js';
import { RelativeTime } from '../../components/Time.js';
import { formatDate } from '../../format.js';

interface Props {
  url: string;
  lastDeliveryAt: string | null;
  createdAt: string;
  createdBy?: string | null | undefined;
}

/** Where the provider delivers, when it last did, and when the hub created it. */
export function WebhookFacts({ url, lastDeliveryAt, createdAt, createdBy }: Props) {
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
    </div>
  );
}
