import { useEffect, useId, useRef, useState } from 'react';
import { ApiRequestError, api, type TeamWebhookRow } from '../../api/client.js';
import { ConfirmStep } from '../../components/ConfirmStep.js';
import { Notice } from '../../components/Notice.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { LINEAR_BADGES, LINEAR_FALLBACK_DETAIL, NO_WEBHOOK_BADGE, type RowNotice } from './statuses.js';
import { WebhookFacts } from './WebhookFacts.js';

interface Props {
  row: TeamWebhookRow;
  isAdmin: boolean;
  /** Id of the text saying why creating and deleting are refused (Linear not connected), if so. */
  blockedId: string | undefined;
  notice: RowNotice | undefined;
  onNotice: (notice: RowNotice | undefined) => void;
  /** Something changed: show `row` now (when known) and reload the webhooks. */
  onChanged: (row?: TeamWebhookRow) => Promise<void>;
}

/** One Linear team: its hub webhook's status, URL and last delivery, and Create / Delete for admins. */
export function LinearTeamRow({ row, isAdmin, blockedId, notice, onNotice, onChanged }: Props) {
  const { team, webhook } = row;
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const [busy, setBusy] = useState<'create' | 'delete'>();
  const [confirming, setConfirming] = useState(false);
  const blocked = blockedId !== undefined;

  useEffect(() => {
    if (confirming || !returnFocus.current) return;
    returnFocus.current = false;
    deleteButton.current?.focus();
  }, [confirming]);

  const badge = webhook === null ? NO_WEBHOOK_BADGE : LINEAR_BADGES[webhook.status];
  const detail = webhook === null ? null : (webhook.statusDetail ?? LINEAR_FALLBACK_DETAIL[webhook.status]);

  async function create(): Promise<void> {
    setBusy('create');
    onNotice(undefined);
    try {
      const created = await api.createLinearWebhook({ teamId: team.id });
      onNotice({
        kind: 'success',
        message: `Created the webhook for ${team.name}: Linear now sends this team’s issue and comment events to the hub.`,
      });
      // The Create button is gone: keep keyboard users in this row.
      heading.current?.focus();
      await onChanged({ team, webhook: created.webhook });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      onNotice({ kind: 'error', message: caught.message });
      // webhook_exists, not_connected, team_not_found…: the list is out of date.
      if (caught.status === 409 || caught.status === 404) await onChanged();
    } finally {
      setBusy(undefined);
    }
  }

  async function remove(): Promise<void> {
    if (webhook === null) return;
    setBusy('delete');
    try {
      await api.deleteLinearWebhook(webhook.id);
      setConfirming(false);
      onNotice({
        kind: 'success',
        message: `Deleted the webhook for ${team.name}. Rules on this team stop paging until it has a webhook again.`,
      });
      heading.current?.focus();
      await onChanged({ team, webhook: null });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      onNotice({ kind: 'error', message: caught.message });
      if (caught.status === 409 || caught.status === 404) await onChanged();
    } finally {
      setBusy(undefined);
    }
  }

  function cancel(): void {
    returnFocus.current = true;
    setConfirming(false);
  }

  return (
    <li className="webhook-row" aria-labelledby={headingId}>
      <div className="webhook-row-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          {team.name} <span className="team-key">{team.key}</span>
        </h3>
        <StatusBadge {...badge} />
      </div>
      {notice !== undefined && (
        <Notice kind={notice.kind}>
          <p>{notice.message}</p>
        </Notice>
      )}
      {detail !== null && <p className="webhook-detail">{detail}</p>}
      {webhook === null ? (
        <p className="muted">No webhook yet: rules cannot use this team until it has one.</p>
      ) : (
        <WebhookFacts url={webhook.url} lastDeliveryAt={webhook.lastDeliveryAt} createdAt={webhook.createdAt} createdBy={webhook.createdBy} />
      )}
      {isAdmin && confirming && !blocked && (
        <ConfirmStep
          question={`Delete the webhook for ${team.name}?`}
          confirmLabel="Delete"
          busyLabel="Deleting…"
          busy={busy === 'delete'}
          onConfirm={() => void remove()}
          onCancel={cancel}
        >
          The hub deletes it at Linear and stops receiving this team’s issue and comment events; rules on this team stop
          paging until a webhook is created again.
        </ConfirmStep>
      )}
      {isAdmin && !(confirming && !blocked) && (
        <div className="card-actions">
          {webhook === null ? (
            <button
              type="button"
              className="button button-primary button-small"
              disabled={blocked || busy !== undefined}
              aria-describedby={blockedId}
              onClick={() => void create()}
            >
              {busy === 'create' ? 'Creating…' : 'Create webhook'}
              <span className="visually-hidden"> for {team.name}</span>
            </button>
          ) : (
            <button
              ref={deleteButton}
              type="button"
              className="button button-secondary button-small"
              disabled={blocked || busy !== undefined}
              aria-describedby={blockedId}
              onClick={() => {
                onNotice(undefined);
                setConfirming(true);
              }}
            >
              Delete<span className="visually-hidden"> the webhook for {team.name}</span>
            </button>
          )}
        </div>
      )}
    </li>
  );
}
