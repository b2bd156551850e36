import { useRef } from 'react';
import { api, type TeamWebhookRow } from '../../api/client.js';
import { ConfirmStep } from '../../components/ConfirmStep.js';
import { useConfirmStep } from '../../components/useConfirmStep.js';
import { useRowAction } from '../../components/useRowAction.js';
import { LINEAR_BADGES, LINEAR_FALLBACK_DETAIL, NO_WEBHOOK_BADGE, type RowNotice } from './statuses.js';
import { WebhookFacts } from './WebhookFacts.js';
import { WebhookRow } from './WebhookRow.js';

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
  const heading = useRef<HTMLHeadingElement>(null);
  const { busy, run } = useRowAction<'create' | 'delete'>((message) => onNotice({ kind: 'error', message }), onChanged);
  const confirm = useConfirmStep();
  const blocked = blockedId !== undefined;
  const confirming = isAdmin && confirm.confirming && !blocked;

  const badge = webhook === null ? NO_WEBHOOK_BADGE : LINEAR_BADGES[webhook.status];
  const detail = webhook === null ? null : (webhook.statusDetail ?? LINEAR_FALLBACK_DETAIL[webhook.status]);

  /** Says what was done and shows the changed row; the clicked button is gone, so keyboard users stay in this row. */
  function done(message: string, changed: TeamWebhookRow): Promise<void> {
    onNotice({ kind: 'success', message });
    heading.current?.focus();
    return onChanged(changed);
  }

  function create(): Promise<void> {
    onNotice(undefined);
    // webhook_exists, not_connected, team_not_found…: the list is out of date (reloaded on 409 / 404).
    return run('create', async () => {
      const created = await api.createLinearWebhook({ teamId: team.id });
      await done(
        `Created the webhook for ${team.name}: Linear now sends this team’s issue and comment events to the hub.`,
        { team, webhook: created.webhook },
      );
    });
  }

  async function remove(): Promise<void> {
    if (webhook === null) return;
    await run('delete', async () => {
      await api.deleteLinearWebhook(webhook.id);
      confirm.close();
      await done(
        `Deleted the webhook for ${team.name}. Rules on this team stop paging until it has a webhook again.`,
        { team, webhook: null },
      );
    });
  }

  return (
    <WebhookRow
      title={
        <>
          {team.name} <span className="team-key">{team.key}</span>
        </>
      }
      headingRef={heading}
      badge={badge}
      notice={notice}
      detail={detail}
    >
      {webhook === null ? (
        <p className="muted">No webhook yet: rules cannot use this team until it has one.</p>
      ) : (
        <WebhookFacts
          url={webhook.url}
          lastDeliveryAt={webhook.lastDeliveryAt}
          lastCheckedAt={webhook.lastCheckedAt}
          lastRepair={webhook.lastRepair}
          createdAt={webhook.createdAt}
          createdBy={webhook.createdBy}
        />
      )}
      {confirming && (
        <ConfirmStep
          question={`Delete the webhook for ${team.name}?`}
          confirmLabel="Delete"
          busyLabel="Deleting…"
          busy={busy === 'delete'}
          onConfirm={() => void remove()}
          onCancel={confirm.cancel}
        >
          The hub deletes it at Linear and stops receiving this team’s issue and comment events; rules on this team stop
          paging until a webhook is created again.
        </ConfirmStep>
      )}
      {isAdmin && !confirming && (
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
              ref={confirm.trigger}
              type="button"
              className="button button-secondary button-small"
              disabled={blocked || busy !== undefined}
              aria-describedby={blockedId}
              onClick={() => {
                onNotice(undefined);
                confirm.open();
              }}
            >
              Delete<span className="visually-hidden"> the webhook for {team.name}</span>
            </button>
          )}
        </div>
      )}
    </WebhookRow>
  );
}
