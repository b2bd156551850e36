import { useId, useState } from 'react';
import type { TeamWebhookRow, WebhooksResponse } from '../../api/client.js';
import { Notice } from '../../components/Notice.js';
import { Link } from '../../routing.js';
import { LinearTeamRow } from './LinearTeamRow.js';
import type { RowNotice } from './statuses.js';

interface Props {
  linear: WebhooksResponse['linear'];
  isAdmin: boolean;
  onChanged: (row?: TeamWebhookRow) => Promise<void>;
}

/** Every team of the connected Linear workspace, with the webhook the hub made for it (SPEC §1.4). */
export function LinearWebhooksSection({ linear, isAdmin, onChanged }: Props) {
  const blockedId = useId();
  const [notices, setNotices] = useState<Record<string, RowNotice>>({});
  const { blockedBy, teams, teamsError } = linear;

  function setNotice(teamId: string, notice: RowNotice | undefined): void {
    setNotices((previous) => {
      if (notice !== undefined) return { ...previous, [teamId]: notice };
      const { [teamId]: _cleared, ...rest } = previous;
      return rest;
    });
  }

  return (
    <section className="card section" aria-labelledby="linear-webhooks-heading">
      <div className="section-head">
        <h2 id="linear-webhooks-heading">Linear team webhooks</h2>
        <p className="muted">
          The hub creates one webhook per Linear team, receiving the team’s Issue and Comment events; every rule builds on
          its team’s webhook.
        </p>
      </div>
      {blockedBy !== null && (
        <div className="notice notice-info" id={blockedId}>
          <p>{blockedBy.message}</p>
          <p>
            <Link href="/connections">Go to Connections</Link>
          </p>
        </div>
      )}
      {teamsError !== null && (
        <Notice kind="error">
          <p>{teamsError.message}</p>
          <p>Only the teams that already have a hub webhook are listed.</p>
        </Notice>
      )}
      {isAdmin ? null : <p className="readonly-note">Only admins can create and delete webhooks.</p>}
      {teams.length === 0 && blockedBy === null && (
        <p className="resource-empty">
          {teamsError === null
            ? 'No teams this connection can see in the Linear workspace yet — create one in Linear, then Refresh.'
            : 'No team has a hub webhook yet.'}
        </p>
      )}
      {teams.length > 0 && (
        <ul className="webhook-list" aria-label="Linear teams">
          {teams.map((row) => (
            <LinearTeamRow
              key={row.team.id}
              row={row}
              isAdmin={isAdmin}
              blockedId={blockedBy === null ? undefined : blockedId}
              notice={notices[row.team.id]}
              onNotice={(notice) => setNotice(row.team.id, notice)}
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
