import { html } from '../../common/html.js';
import type { Issue, LinearState } from '../state.js';
import { priorityLabel, PRIORITY_LABELS } from '../webhook-payloads.js';
import { layout } from './layout.js';
import { flash, nav, type PageSession } from './session.js';

/** GET /:workspace/issue/:identifier/:slug? — details, change state or priority, links (attachments), comments. */
export function renderIssue(state: LinearState, s: PageSession, issue: Issue, query: unknown): string {
  const team = state.teams.get(issue.teamId)!;
  const current = state.states.get(issue.stateId)!;
  const comments = state.commentsOf(issue.id).filter((c) => !c.archivedAt).sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
  const attachments = state.attachmentsOf(issue.id).filter((a) => !a.archivedAt).sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
  const body = html`<p class="muted">${team.name} · ${state.identifier(issue)}</p>
<h1>${issue.title}</h1>
${flash(query)}
${issue.trashed ? html`<p class="notice">This issue was deleted.</p>` : ''}
<section class="card">
<p>${issue.description ?? html`<span class="muted">No description.</span>`}</p>
<p><span class="pill">${current.name}</span><span class="pill">${priorityLabel(issue.priority)}</span>${issue.labelIds.map((id) => html`<span class="pill">${state.labels.get(id)?.name ?? '?'}</span>`)}${issue.projectId ? html`<span class="pill">${state.projects.get(issue.projectId)?.name}</span>` : ''}</p>
<form class="inline" method="post" action="/_sandbox/ui/issues/${issue.id}">
<input type="hidden" name="as" value="${s.user.id}">
<label>State <select name="stateId">${state.statesOf(team.id).map((st) => html`<option value="${st.id}"${st.id === current.id ? html` selected` : ''}>${st.name} (${st.type})</option>`)}</select></label>
<label>Priority <select name="priority">${PRIORITY_LABELS.map((l, p) => html`<option value="${p}"${p === issue.priority ? html` selected` : ''}>${l}</option>`)}</select></label>
<button type="submit">Save</button>
</form>
</section>
${attachments.length ? html`<section class="card">
<h2>Links</h2>
${attachments.map((a) => html`<p class="attachment"><a href="${a.url}">${a.title}</a>${a.subtitle ? html` <span class="muted">${a.subtitle}</span>` : ''}</p>`)}
</section>` : ''}
<section class="card">
<h2>Comments</h2>
${comments.length ? comments.map((c) => html`<div class="comment"><strong>${c.createAsUser ?? (c.userId ? state.users.get(c.userId)?.name : 'Someone')}</strong> <span class="muted">${new Date(c.createdAt).toISOString()}</span><p>${c.body}</p></div>`) : html`<p class="muted">No comments yet.</p>`}
<form class="stack" method="post" action="/_sandbox/ui/issues/${issue.id}/comments">
<input type="hidden" name="as" value="${s.user.id}">
<label>Comment <textarea name="body" required></textarea></label>
<div class="actions"><button type="submit">Comment</button></div>
</form>
</section>`;
  return layout(`${state.identifier(issue)} ${issue.title}`, body, nav(state, s, team.key));
}
