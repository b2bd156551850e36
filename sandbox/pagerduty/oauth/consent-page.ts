import { html } from '../../common/html.js';
import { layout } from '../pages/layout.js';
import type { PagerDutyState } from '../state.js';
import type { AuthorizeParams } from './authorize-request.js';
import type { RegisteredClient } from './clients.js';
import { describeScope } from './scopes.js';

export interface ConsentView {
  params: AuthorizeParams;
  client: RegisteredClient;
  scopes: string[];
  account?: string;
  userId?: string;
  error?: string;
}

/**
 * The consent screen (API-NOTES §1.3): the app, the region, who logs in (user picker), which
 * account (account picker), the permissions in words, and Authorize / Deny. A plain form that
 * posts back to /oauth/authorize; every request parameter travels as a hidden field.
 */
export function renderConsent(state: PagerDutyState, v: ConsentView): string {
  const accounts = [...state.accounts.values()];
  const selectedAccount = v.account ?? accounts[0]?.subdomain;
  const hidden = Object.entries(v.params)
    .filter(([, value]) => typeof value === 'string')
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const body = html`
<div class="card">
  <h2>Authorize ${v.client.name}</h2>
  <p class="muted">${v.client.name} (client id <code>${v.client.clientId}</code>) is asking for access to a PagerDuty account.</p>
  ${v.error ? html`<p class="error">${v.error}</p>` : ''}
  <form method="post" action="/oauth/authorize">
    ${hidden}
    <label for="account">Account</label>
    <select id="account" name="account">
      ${accounts.map((a) => html`<option value="${a.subdomain}"${a.subdomain === selectedAccount ? html` selected` : ''}>${a.name} (${a.subdomain}, ${a.region === 'eu' ? 'EU' : 'US'} service region)</option>`)}
    </select>
    <label for="user">Log in as</label>
    <select id="user" name="user">
      ${accounts.map(
        (a) => html`<optgroup label="${a.name}">${state.usersOf(a.subdomain).map(
          (u) => html`<option value="${u.id}"${u.id === v.userId ? html` selected` : ''}>${u.name} — ${u.email} (${roleName(u.role)})</option>`,
        )}</optgroup>`,
      )}
    </select>
    <p><strong>${v.client.name}</strong> will be able to:</p>
    <ul class="scopes">${v.scopes.map((s) => html`<li>${describeScope(s)} <span class="muted">(${s})</span></li>`)}</ul>
    <div class="actions">
      <button class="primary" type="submit" name="decision" value="authorize">Authorize</button>
      <button type="submit" name="decision" value="deny">Deny</button>
    </div>
  </form>
</div>`;
  return layout(`Authorize ${v.client.name}`, '', body);
}

export function renderOAuthError(message: string): string {
  return layout('Authorization error', '', html`<div class="card"><h2>Authorization error</h2><p class="error">${message}</p></div>`);
}

/** UI names of the API roles (KB-WH): user = Manager, limited_user = Responder. */
export function roleName(role: string): string {
  const names: Record<string, string> = { owner: 'Account Owner', admin: 'Admin', user: 'Manager', limited_user: 'Responder', observer: 'Observer', read_only_user: 'Restricted Access' };
  return names[role] ?? role;
}
