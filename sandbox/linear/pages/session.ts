import { html, type SafeHtml } from '../../common/html.js';
import type { LinearState, Organization, User } from '../state.js';

/**
 * The page has no login: who acts is the `as` query parameter / form field (a user id), by
 * default the workspace's admin. Every link and form carries it.
 */
export interface PageSession {
  org: Organization;
  user: User;
}

export function sessionFor(state: LinearState, urlKey: string, as: unknown): PageSession | undefined {
  const org = state.organizationByName(urlKey);
  if (!org) return undefined;
  const chosen = typeof as === 'string' ? state.users.get(as) : undefined;
  const user = chosen?.organizationId === org.id && !chosen.app ? chosen : state.usersOf(org.id).find((u) => u.admin);
  return user ? { org, user } : undefined;
}

/** A page path with `as` (and extra query parameters) attached. */
export function href(path: string, s: PageSession, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ as: s.user.id, ...extra });
  return `${path}?${q.toString()}`;
}

export function nav(state: LinearState, s: PageSession, currentTeamKey?: string): SafeHtml {
  return html`<nav>${state
    .teamsOf(s.org.id)
    .filter((t) => !t.archivedAt)
    .map((t) => html`<a href="${href(`/${s.org.urlKey}/team/${t.key}`, s)}"${t.key === currentTeamKey ? html` class="current"` : ''}>${t.name}</a>`)}</nav>
<span class="who">${s.org.name} · acting as <strong>${s.user.name}</strong> (${s.user.admin ? 'Admin' : 'Member'}) · <a href="/">switch</a></span>`;
}

export function flash(query: unknown): SafeHtml | string {
  const error = (query as Record<string, unknown> | undefined)?.error;
  return typeof error === 'string' ? html`<p class="error" role="alert">${error}</p>` : '';
}
