import { html, type SafeHtml } from '../../common/html.js';
import { roleName } from '../oauth/consent-page.js';
import type { Account, Incident, Service, User } from '../model.js';
import type { PagerDutyState } from '../state.js';
import { isoSeconds } from '../urls.js';
import { layout } from './layout.js';

export interface ResponderView {
  account: Account;
  actingAs: User;
  notice?: string;
  error?: string;
}

const ACTIONS = '/_sandbox/ui/incidents';

function hidden(v: ResponderView): SafeHtml {
  return html`<input type="hidden" name="account" value="${v.account.subdomain}"><input type="hidden" name="as" value="${v.actingAs.id}">`;
}

function button(v: ResponderView, incident: Incident, action: string, label: string, cls = ''): SafeHtml {
  return html`<form method="post" action="${ACTIONS}/${incident.id}/${action}">${hidden(v)}<button type="submit" class="${cls}">${label}</button></form>`;
}

function incidentBlock(state: PagerDutyState, v: ResponderView, i: Incident): SafeHtml {
  const assignees = i.assignments.map((a) => state.users.get(a.userId)?.name).filter(Boolean).join(', ') || '—';
  const priority = i.priorityId ? state.priorities.find((p) => p.id === i.priorityId)?.name : undefined;
  return html`<div class="incident" id="incident-${i.id}">
  <div><span class="status ${i.status}">${i.status}</span> <strong>#${i.number} ${i.title}</strong></div>
  <div class="muted">${i.id} · urgency ${i.urgency}${priority ? ` · ${priority}` : ''} · assigned to ${assignees} · opened ${isoSeconds(i.createdAt)}${i.reopenedAt ? ` · reopened ${isoSeconds(i.reopenedAt)}` : ''}</div>
  ${i.notes.length ? html`<ul class="notes">${i.notes.map((n) => html`<li>${state.users.get(n.userId ?? '')?.name ?? 'PagerDuty'}: ${n.content}</li>`)}</ul>` : ''}
  <div class="actions">
    ${i.status === 'triggered' ? button(v, i, 'acknowledge', 'Acknowledge', 'primary') : ''}
    ${i.status !== 'resolved' ? button(v, i, 'resolve', 'Resolve') : button(v, i, 'reopen', 'Reopen')}
    <form method="post" action="${ACTIONS}/${i.id}/notes" class="row">${hidden(v)}
      <textarea name="content" aria-label="Note for #${i.number}" placeholder="Note" required></textarea>
      <button type="submit">Add note</button>
    </form>
  </div>
</div>`;
}

function serviceCard(state: PagerDutyState, v: ResponderView, s: Service, incidents: Incident[]): SafeHtml {
  return html`<section class="card" id="service-${s.id}"><h2>${s.name} <span class="muted">${s.id}</span></h2>
${incidents.map((i) => incidentBlock(state, v, i))}</section>`;
}

/**
 * The responder page (SPEC §4): choose an account and who you are, trigger incidents, and
 * Acknowledge / Resolve / Reopen / Add note. Forms post to /_sandbox/ui/…, which run the same
 * domain functions as the REST API, so webhooks go out with this user as the agent.
 */
export function renderResponder(state: PagerDutyState, v: ResponderView): string {
  const services = state.servicesOf(v.account.subdomain).sort((a, b) => a.name.localeCompare(b.name));
  const incidents = state.incidentsOf(v.account.subdomain).sort((a, b) => b.number - a.number);
  const withIncidents = services.filter((s) => incidents.some((i) => i.serviceId === s.id));
  const picker = html`<form method="get" action="/">
  <label class="muted" for="account">Account</label>
  <select id="account" name="account">${[...state.accounts.values()].map((a) => html`<option value="${a.subdomain}"${a.subdomain === v.account.subdomain ? html` selected` : ''}>${a.name}</option>`)}</select>
  <label class="muted" for="as">Acting as</label>
  <select id="as" name="as">${state.usersOf(v.account.subdomain).map((u) => html`<option value="${u.id}"${u.id === v.actingAs.id ? html` selected` : ''}>${u.name} (${roleName(u.role)})</option>`)}</select>
  <button type="submit">Switch</button>
</form>`;
  const body = html`
${v.notice ? html`<p class="notice">${v.notice}</p>` : ''}
${v.error ? html`<p class="error">${v.error}</p>` : ''}
<section class="card"><h2>Trigger an incident</h2>
<form method="post" action="${ACTIONS}" class="row">${hidden(v)}
  <div><label for="service">Service</label><select id="service" name="service">${services.map((s) => html`<option value="${s.id}">${s.name}</option>`)}</select></div>
  <div><label for="title">Title</label><input id="title" type="text" name="title" required></div>
  <div><label for="urgency">Urgency</label><select id="urgency" name="urgency"><option value="">Service default</option><option value="high">High</option><option value="low">Low</option></select></div>
  <button class="primary" type="submit">Trigger</button>
</form></section>
${withIncidents.length === 0 ? html`<p class="muted">No incidents in ${v.account.name} yet.</p>` : ''}
${withIncidents.map((s) => serviceCard(state, v, s, incidents.filter((i) => i.serviceId === s.id)))}`;
  return layout(`${v.account.name} incidents`, picker, body);
}
