import type { RegisteredClient } from './clients.js';

/**
 * Scope rules (API-NOTES §1.5): requested scopes are space-separated; anything the app has not
 * configured (unknown scopes included) is silently dropped; `openid` is attached to every
 * user token. Always read the granted `scope` in the token response.
 */
export function grantScopes(requested: string | undefined, client: RegisteredClient): string[] {
  const wanted = (requested ?? '').split(/[\s+]+/).filter(Boolean);
  const granted = wanted.filter((s, i) => s !== 'openid' && wanted.indexOf(s) === i && client.scopes.includes(s));
  return ['openid', ...granted];
}

/** What the consent page says for each scope (SPEC §1.2 wording). */
const WORDS: Record<string, string> = {
  'services.read': 'Read services',
  'services.write': 'Write services',
  'incidents.read': 'Read incidents',
  'incidents.write': 'Write incidents (create them, change their status, add notes)',
  'webhook_subscriptions.read': 'Read webhook subscriptions',
  'webhook_subscriptions.write': 'Create and manage webhooks',
  'users.read': 'Read user information',
  'priorities.read': 'Read priorities',
  'escalation_policies.read': 'Read escalation policies',
  'teams.read': 'Read teams',
  read: 'Read all data in the account',
  write: 'Read and change all data in the account',
  openid: 'Know who you are (your user, account and region)',
};

export function describeScope(scope: string): string {
  return WORDS[scope] ?? scope;
}

/** `as_account-{us|eu}.{subdomain}` — required in client-credentials requests (§1.5, DD-PRIV). */
export const AS_ACCOUNT = /^as_account-(us|eu)\.([a-z0-9-]+)$/;
