import { useCallback, useId, useRef } from 'react';
import type { ConnectionView, MetaResponse } from '../../api/client.js';
import { CardNotices } from './CardNotices.js';
import { ConnectionActions } from './ConnectionActions.js';
import { ConnectionDetails, ScopeList } from './ConnectionDetails.js';
import { ConnectionStatusBadge } from './ConnectionStatusBadge.js';
import type { CardNotice } from './notices.js';
import { ProviderResources } from './ProviderResources.js';
import { PROVIDERS, sandboxUrl } from './providers.js';

interface Props {
  connection: ConnectionView;
  isAdmin: boolean;
  sandbox: MetaResponse['sandbox'];
  notices: readonly CardNotice[];
  onNotices: (notices: CardNotice[]) => void;
  onChanged: (updated?: ConnectionView) => Promise<void>;
}

/** Why Connect is impossible right now, in the hub's words (null when it is possible). */
function blockedMessage(connection: ConnectionView): string | null {
  if (connection.status === 'connected') return null;
  if (connection.connectBlockedBy !== null) return connection.connectBlockedBy.message;
  if (connection.mode === 'unconfigured') {
    return `Connecting ${PROVIDERS[connection.provider].name} needs an OAuth client: an operator must set its client id and secret.`;
  }
  return null;
}

/** One provider's connection card: status, account, live services or teams, and the actions. */
export function ConnectionCard({ connection, isAdmin, sandbox, notices, onNotices, onChanged }: Props) {
  const { provider, status, statusReason } = connection;
  const info = PROVIDERS[provider];
  const headingId = `connection-${provider}`;
  const blockedId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const blocked = blockedMessage(connection);
  const link = sandboxUrl(provider, sandbox);
  const reload = useCallback(() => void onChanged(), [onChanged]);

  return (
    <section className={`card connection-card connection-card-${status}`} aria-labelledby={headingId}>
      <div className="connection-card-head">
        <span className={`service-mark service-mark-${provider}`} aria-hidden="true">
          {info.mark}
        </span>
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {info.name}
        </h2>
        <ConnectionStatusBadge status={status} />
      </div>
      <p>{info.summary}</p>
      <CardNotices notices={notices} />

      {status === 'disconnected' && (
        <div className="notice notice-warning">
          <p>
            <strong>{statusReason?.message ?? `The hub can no longer reach ${info.name} with the access it was given.`}</strong>
          </p>
          <p>
            While disconnected, sync for this connection is paused and webhooks and rules cannot be created. Nothing is
            lost: it resumes after you reconnect.
          </p>
        </div>
      )}
      {status === 'not_connected' && statusReason !== null && <p className="muted">{statusReason.message}</p>}
      {status !== 'not_connected' && <ConnectionDetails connection={connection} />}
      {status === 'connected' && <ProviderResources provider={provider} onConnectionGone={reload} />}
      {blocked !== null && (
        <p className="notice notice-info" id={blockedId}>
          {blocked}
        </p>
      )}

      <ConnectionActions
        connection={connection}
        isAdmin={isAdmin}
        blockedId={blocked === null ? undefined : blockedId}
        onNotices={onNotices}
        onChanged={onChanged}
        onFocusCard={() => heading.current?.focus()}
      />

      <div className="card-footnote">
        <p>{info.permissions}</p>
        <p>{info.requirement}</p>
        {status !== 'connected' && connection.requestedScopes.length > 0 && (
          <div className="scopes-asked">
            <span>Scopes it asks for:</span>
            <ScopeList scopes={connection.requestedScopes} />
          </div>
        )}
        {connection.mode === 'sandbox' && (
          <p className="sandbox-note">
            Sandbox: connects to the built-in {info.name} stand-in
            {link === undefined ? '.' : <>{' '}(<a href={link}>open the {info.name} sandbox</a>).</>}
          </p>
        )}
      </div>
    </section>
  );
}
