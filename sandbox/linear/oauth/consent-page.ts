import { html } from '../../common/html.js';
import { layout } from '../pages/layout.js';
import type { LinearState } from '../state.js';
import { AUTHORIZE_PARAMS, type AuthorizeParams } from './authorize-request.js';
import type { LinearClientConfig } from './clients.js';
import { SCOPE_WORDS } from './scopes.js';

export interface ConsentView {
  params: AuthorizeParams;
  client: LinearClientConfig;
  scopes: string[];
  actor: 'user' | 'app';
  error?: string;
  workspaceId?: string;
  userId?: string;
}

/**
 * Linear's consent screen, as a plain form posting back to /oauth/authorize: the app, the
 * permissions in words, a workspace picker and a "logged in as" picker, Authorize and Deny.
 */
export function renderConsent(state: LinearState, view: ConsentView): string {
  const workspaces = [...state.organizations.values()];
  const hidden = AUTHORIZE_PARAMS.filter((name) => view.params[name] !== undefined).map(
    (name) => html`<input type="hidden" name="${name}" value="${view.params[name]}">`,
  );
  const body = html`<div class="card narrow">
<h1>${view.client.name} wants to access your Linear workspace</h1>
<p class="muted">${view.client.developer ? html`by ${view.client.developer} · ` : ''}client id <code>${view.client.clientId}</code></p>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
<h2>It will be able to</h2>
<ul class="scopes">${view.scopes.map((s) => html`<li>${SCOPE_WORDS[s] ?? s} <span class="muted">(${s})</span></li>`)}</ul>
${view.actor === 'app' ? html`<p class="notice">Changes it makes will appear as made by <strong>${view.client.name}</strong>, not by you. Only workspace admins can install it this way.</p>` : ''}
<form class="stack" method="post" action="/oauth/authorize">
${hidden}
<label>Workspace
<select name="workspace">${workspaces.map((w) => html`<option value="${w.id}"${w.id === view.workspaceId ? html` selected` : ''}>${w.name}</option>`)}</select>
</label>
<label>Logged in as
<select name="user">${workspaces.map(
    (w) => html`<optgroup label="${w.name}">${state
      .usersOf(w.id)
      .map((u) => html`<option value="${u.id}"${u.id === view.userId ? html` selected` : ''}>${u.name} &lt;${u.email}&gt; · ${u.admin ? 'Admin' : 'Member'}</option>`)}</optgroup>`,
  )}</select>
</label>
<div class="actions">
<button type="submit" name="decision" value="authorize">Authorize</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>
</div>`;
  return layout(`Authorize ${view.client.name}`, body);
}

export function renderOAuthError(message: string): string {
  return layout('Authorization error', html`<div class="card narrow"><h1>Cannot authorize</h1><p class="error">${message}</p></div>`);
}
