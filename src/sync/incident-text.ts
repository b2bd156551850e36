import { createHash } from 'node:crypto';
import type { TrackedIssue } from '../providers/roles.js';

/**
 * What an incident opened for an issue says (issue 11 item 2), and its `incident_key`: stable
 * per organisation and issue, so a second create while the incident is open is refused by
 * PagerDuty as a duplicate instead of paging twice, and the incident is found by it.
 */

/** PagerDuty documents no title limit; the hub keeps titles to 1024 characters, cut with an ellipsis. */
export const INCIDENT_TITLE_LIMIT = 1024;
/** How much of the issue's description the incident body carries. */
export const DESCRIPTION_EXCERPT = 1000;

export function incidentKeyFor(organisationId: string, issueId: string): string {
  return `integration-hub:${createHash('sha256').update(`${organisationId}\u0000${issueId}`).digest('hex').slice(0, 40)}`;
}

/** `[ENG-123] Checkout fails`, cut with an ellipsis to the limit. */
export function incidentTitleFor(issue: Pick<TrackedIssue, 'identifier' | 'title'>): string {
  return cut(`[${issue.identifier}] ${issue.title}`, INCIDENT_TITLE_LIMIT);
}

export function incidentDetailsFor(issue: Pick<TrackedIssue, 'identifier' | 'url' | 'description'>, ruleName: string): string {
  const lines = [`Linear issue ${issue.identifier}: ${issue.url}`, `Paged by the rule "${ruleName}" of Integration Hub.`];
  const description = issue.description?.trim();
  if (description !== undefined && description !== '') lines.push('', cut(description, DESCRIPTION_EXCERPT));
  return lines.join('\n');
}

export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  // By code points (Array.from), so a character outside the BMP is never split in half.
  return `${Array.from(text).slice(0, max - 1).join('').trimEnd()}…`;
}
