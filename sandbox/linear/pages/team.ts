import { html } from '../../common/html.js';
import type { LinearState, Team } from '../state.js';
import type { LinearUrls } from '../urls.js';
import { priorityLabel, PRIORITY_LABELS } from '../webhook-payloads.js';
import { layout } from './layout.js';
import { flash, href, nav, type PageSession } from './session.js';

/** GET /:workspace/team/:key — the team's issues, newest first, and a "New issue" form. */
export function renderTeam(state: LinearState, urls: LinearUrls, s: PageSession, team: Team, query: unknown): string {
  const issues = [...state.issues.values()].filter((i) => i.teamId === team.id && !i.trashed).sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  const states = state.statesOf(team.id).filter((st) => !st.archivedAt);
  const labels = [...state.labels.values()].filter((l) => l.organizationId === s.org.id && !l.isGroup && !l.archivedAt && (l.teamId === null || l.teamId === team.id));
  const projects = [...state.projects.values()].filter((p) => p.organizationId === s.org.id && !p.archivedAt);
  const rows = issues.map((i) => {
    const st = state.states.get(i.stateId)!;
    const path = new URL(urls.issue(i)).pathname;
    return html`<tr>
<td><a href="${href(path, s)}">${state.identifier(i)}</a></td>
<td><a href="${href(path, s)}">${i.title}</a></td>
<td>${st.name} <span class="muted">${st.type}</span></td>
<td>${priorityLabel(i.priority)}</td>
<td>${i.labelIds.map((id) => html`<span class="pill">${state.labels.get(id)?.name ?? '?'}</span>`)}</td>
<td>${i.projectId ? state.projects.get(i.projectId)?.name : ''}</td>
</tr>`;
  });
  const body = html`<h1>${team.name} <span class="muted">${team.key}</span></h1>
${flash(query)}
<table>
<thead><tr><th>ID</th><th>Title</th><th>State</th><th>Priority</th><th>Labels</th><th>Project</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="6" class="muted">No issues yet.</td></tr>`}</tbody>
</table>
<section class="card">
<h2>New issue</h2>
<form class="stack" method="post" action="/_sandbox/ui/issues">
<input type="hidden" name="as" value="${s.user.id}">
<input type="hidden" name="teamId" value="${team.id}">
<label>Title <input type="text" name="title" required maxlength="255"></label>
<label>Description <textarea name="description"></textarea></label>
<div class="inline">
<label>Priority <select name="priority">${PRIORITY_LABELS.map((l, p) => html`<option value="${p}">${l}</option>`)}</select></label>
<label>State <select name="stateId"><option value="">Default</option>${states.map((st) => html`<option value="${st.id}">${st.name} (${st.type})</option>`)}</select></label>
<label>Project <select name="projectId"><option value="">None</option>${projects.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select></label>
</div>
<fieldset><legend>Labels</legend>${labels.map((l) => html`<label><input type="checkbox" name="labelIds" value="${l.id}"> ${l.name}</label>`)}</fieldset>
<div class="actions"><button type="submit">Create issue</button></div>
</form>
</section>`;
  return layout(`${team.name} issues`, body, nav(state, s, team.key));
}
