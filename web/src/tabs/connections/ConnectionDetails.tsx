import type { ConnectionView } from '../../api/client.js';
import { formatDate } from '../../format.js';
import { PROVIDERS, regionLabel } from './providers.js';

export function ScopeList({ scopes }: { scopes: readonly string[] }) {
  return (
    <ul className="scope-list">
      {scopes.map((scope) => (
        <li key={scope}>
          <code>{scope}</code>
        </li>
      ))}
    </ul>
  );
}

function AccountLine({ connection }: { connection: ConnectionView }) {
  const { account } = connection;
  if (account === null) return null;
  const region = regionLabel(account.region);
  const where =
    connection.provider === 'pagerduty'
      ? [account.subdomain === null ? undefined : `subdomain ${account.subdomain}`, region === undefined ? undefined : `region ${region}`]
      : [account.subdomain === null ? undefined : `linear.app/${account.subdomain}`];
  const extra = where.filter((part) => part !== undefined).join(', ');
  return (
    <div>
      <dt>{PROVIDERS[connection.provider].accountLabel}</dt>
      <dd>
        <strong>{account.url === null ? account.name : <a href={account.url}>{account.name}</a>}</strong>
        {extra !== '' && <span className="muted"> ({extra})</span>}
      </dd>
    </div>
  );
}

/** Which account the connection reaches, through whom, who connected it and what was granted. */
export function ConnectionDetails({ connection }: { connection: ConnectionView }) {
  const { connectedAs, connectedBy, connectedAt, scopes } = connection;
  // After a disconnect the facts describe the last connection, and the granted scopes are gone.
  const live = connection.status === 'connected';
  return (
    <div className="connection-facts">
      {connection.account !== null && (
        <dl>
          <AccountLine connection={connection} />
        </dl>
      )}
      {connectedAs !== null && (
        <p>
          {live ? 'Connected as' : 'Was connected as'} {connectedAs.name}
          {connectedAs.email !== null && ` (${connectedAs.email})`}
          {connectedAs.role !== null && <span className="muted"> · role: {connectedAs.role}</span>}
        </p>
      )}
      {connectedBy !== null && (
        <p>
          {live ? 'Connected by' : 'Was connected by'} {connectedBy.email}
          {connectedAt !== null && ` on ${formatDate(connectedAt)}`}
        </p>
      )}
      {live && scopes.length > 0 && (
        <dl>
          <div>
            <dt>Granted scopes</dt>
            <dd>
              <ScopeList scopes={scopes} />
            </dd>
          </div>
        </dl>
      )}
    </div>
  );
}
