import { html } from '../../common/html.js';
import type { LinearState } from '../state.js';
import { layout } from './layout.js';

/** GET /: pick a workspace and who to act as. */
export function renderHome(state: LinearState): string {
  const cards = [...state.organizations.values()].map(
    (org) => html`<section class="card">
<h2>${org.name}</h2>
<p class="muted">Workspace <code>${org.urlKey}</code> · teams ${state.teamsOf(org.id).map((t) => html`<span class="pill">${t.key}</span>`)}</p>
<ul>${state.usersOf(org.id).map(
      (u) => html`<li><a href="/${org.urlKey}/team/${state.teamsOf(org.id)[0]?.key ?? ''}?as=${u.id}">Act as ${u.name}</a> <span class="muted">${u.email} · ${u.admin ? 'Admin' : 'Member'}</span></li>`,
    )}</ul>
</section>`,
  );
  const body = html`<h1>Linear sandbox</h1>
<p class="muted">A local stand-in for Linear. Pick a workspace and a user; what you do here reaches webhooks exactly like changes made through the API.</p>
${cards}`;
  return layout('Workspaces', body);
}
