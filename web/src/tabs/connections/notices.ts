import type { DisconnectReport } from '../../api/client.js';

/** A message shown on a connection card: the outcome of connecting, or of a click on the card. */
export interface CardNotice {
  kind: 'success' | 'error' | 'info';
  message: string;
  /** Further sentences, shown as a list under the message. */
  items?: string[] | undefined;
}

function revocationSentence(name: string, revocation: DisconnectReport['revocation']): string {
  switch (revocation) {
    case 'revoked':
      return `The hub's access at ${name} was revoked, and its tokens erased.`;
    case 'not_supported':
      return `${name} offers apps no way to revoke their own access, so the hub erased its tokens. You can also remove Integration Hub from ${name}'s OAuth applications.`;
    case 'failed':
      return `Revoking the hub's access at ${name} failed; the hub erased its tokens anyway.`;
    case 'skipped':
      return `There was no working access at ${name} left to revoke; the hub erased its tokens.`;
  }
}

function webhooksSentence(count: number): string {
  if (count === 0) return 'There were no webhooks to delete.';
  return count === 1 ? 'Deleted the webhook the hub had created.' : `Deleted the ${count} webhooks the hub had created.`;
}

/** What DELETE /api/connections/:provider did, in words: a success notice, plus problems if any. */
export function disconnectNotices(name: string, report: DisconnectReport): CardNotice[] {
  const notices: CardNotice[] = [
    {
      kind: 'success',
      message: `${name} disconnected. Rules that use it are paused; history is kept.`,
      items: [revocationSentence(name, report.revocation), webhooksSentence(report.webhooksDeleted)],
    },
  ];
  if (report.problems.length > 0) {
    notices.push({ kind: 'error', message: 'Some things could not be cleaned up:', items: report.problems });
  }
  return notices;
}
