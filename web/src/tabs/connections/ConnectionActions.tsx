import { ApiRequestError, api, type ConnectionView } from '../../api/client.js';
import { ConfirmStep } from '../../components/ConfirmStep.js';
import { useConfirmStep } from '../../components/useConfirmStep.js';
import { useRowAction } from '../../components/useRowAction.js';
import { browser } from './browser.js';
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
  const { busy, setBusy, run } = useRowAction<'connect' | 'disconnect'>((message) => onNotices([{ kind: 'error', message }]), onChanged);
  const confirm = useConfirmStep();

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

  function disconnect(): Promise<void> {
    return run('disconnect', async () => {
      const { connection: updated, report } = await api.disconnect(connection.provider);
      onNotices(disconnectNotices(name, report));
      confirm.close();
      onFocusCard();
      await onChanged(updated);
    });
  }

  if (confirm.confirming) {
    return (
      <ConfirmStep
        question={`Disconnect ${name}?`}
        confirmLabel="Disconnect"
        busyLabel="Disconnecting…"
        busy={busy === 'disconnect'}
        onConfirm={() => void disconnect()}
        onCancel={confirm.cancel}
      >
        The hub erases its tokens, deletes the webhooks it created, and pauses rules; history is kept.
      </ConfirmStep>
    );
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
          ref={confirm.trigger}
          type="button"
          className="button button-secondary"
          disabled={busy !== undefined}
          onClick={() => {
            onNotices([]);
            confirm.open();
          }}
        >
          Disconnect
        </button>
      )}
    </div>
  );
}
