import { useEffect, useRef, useState } from 'react';
import { ApiRequestError, api, type ConnectionView } from '../../api/client.js';
import { browser } from './browser.js';
import { DisconnectConfirm } from './DisconnectConfirm.js';
import { disconnectNotices, type CardNotice } from './notices.js';
import { PROVIDERS } from './providers.js';

interface Props {
  connection: ConnectionView;
  isAdmin: boolean;
  /** Id of the text saying why Connect is not possible, if any (describes the disabled button). */
  blockedId: string | undefined;
  onNotices: (notices: CardNotice[]) => void;
  /** Something changed: show `updated` now (when known) and reload every connection. */
  onChanged: (updated?: ConnectionView) => Promise<void>;
  /** After disconnecting, the Disconnect button is gone: focus moves to the card. */
  onFocusCard: () => void;
}

/** Connect / Reconnect (POST …/authorize, then off to the provider) and Disconnect with its confirm step. */
export function ConnectionActions({ connection, isAdmin, blockedId, onNotices, onChanged, onFocusCard }: Props) {
  const { name } = PROVIDERS[connection.provider];
  const [busy, setBusy] = useState<'connect' | 'disconnect'>();
  const [confirming, setConfirming] = useState(false);
  const disconnectButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (confirming || !returnFocus.current) return;
    returnFocus.current = false;
    disconnectButton.current?.focus();
  }, [confirming]);

  if (!isAdmin) {
    if (connection.status === 'connected') return null;
    const verb = connection.status === 'disconnected' ? 'reconnect' : 'connect';
    return <p className="readonly-note">An admin of this organisation must {verb} {name}.</p>;
  }

  async function connect(): Promise<void> {
    setBusy('connect');
    onNotices([]);
    try {
      const { authorizationUrl } = await api.authorizeConnection(connection.provider);
      // Stays busy: the browser is leaving for the provider's consent page.
      browser.leaveFor(authorizationUrl);
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setBusy(undefined);
      onNotices([{ kind: 'error', message: caught.message }]);
      // already_connected, pagerduty_not_connected, provider_unconfigured: the card is out of date.
      if (caught.status === 409) await onChanged();
    }
  }

  async function disconnect(): Promise<void> {
    setBusy('disconnect');
    try {
      const { connection: updated, report } = await api.disconnect(connection.provider);
      onNotices(disconnectNotices(name, report));
      setConfirming(false);
      onFocusCard();
      await onChanged(updated);
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      onNotices([{ kind: 'error', message: caught.message }]);
      if (caught.status === 409 || caught.status === 404) await onChanged();
    } finally {
      setBusy(undefined);
    }
  }

  function cancel(): void {
    returnFocus.current = true;
    setConfirming(false);
  }

  if (confirming) {
    return <DisconnectConfirm name={name} busy={busy === 'disconnect'} onConfirm={() => void disconnect()} onCancel={cancel} />;
  }

  const blocked = connection.connectBlockedBy !== null || connection.mode === 'unconfigured';
  const connectLabel = connection.status === 'disconnected' ? `Reconnect ${name}` : `Connect ${name}`;
  return (
    <div className="card-actions">
      {connection.status !== 'connected' && (
        <button
          type="button"
          className="button button-primary"
          disabled={blocked || busy !== undefined}
          aria-describedby={blocked ? blockedId : undefined}
          onClick={() => void connect()}
        >
          {busy === 'connect' ? `Opening ${name}…` : connectLabel}
        </button>
      )}
      {connection.status !== 'not_connected' && (
        <button
          ref={disconnectButton}
          type="button"
          className="button button-secondary"
          disabled={busy !== undefined}
          onClick={() => {
            onNotices([]);
            setConfirming(true);
          }}
        >
          Disconnect
        </button>
      )}
    </div>
  );
}
