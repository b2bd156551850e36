import { fail, type Failure } from '../core/result.js';
import type { ProviderName } from '../providers/names.js';
import type { ConnectFailureCode } from './outcome-codes.js';
import { providers } from '../providers/registry.js';

/** A failed connect step: the attempt ends with its code and message. */
export type ConnectFailed = Failure<ConnectFailureCode>;

/** The failure of a connect step, worded by {@link connectFailureMessage}. */
export function connectFailed(provider: ProviderName, code: ConnectFailureCode, detail?: string): ConnectFailed {
  return fail(code, connectFailureMessage(provider, code, detail));
}

/**
 * What the card says when a Connect attempt fails: what happened and what to do. Codes are
 * outcome-codes.ts's (ConnectFailureCode); `detail` adds what the provider or the check said.
 */
export function connectFailureMessage(provider: ProviderName, code: ConnectFailureCode, detail?: string): string {
  const { displayName: name, codeLifetimeNote, configEnvPrefix } = providers.get(provider);
  const extra = detail ? ` ${detail}` : '';
  switch (code) {
    case 'access_denied':
      return `Authorization was denied in ${name}, so nothing was connected. Click Connect ${name} and choose Authorize to connect.`;
    case 'authorization_error':
      return `${name} did not authorize the hub.${extra} Nothing was connected; try again.`;
    case 'state_missing':
      return `The reply from ${name} carried no state, so the hub cannot tell it belongs to your Connect click. Nothing was connected; click Connect ${name} again.`;
    case 'state_unknown':
      return `The reply from ${name} does not match any Connect click made from this hub (a forged or mistyped link). Nothing was connected; click Connect ${name} again.`;
    case 'state_reused':
      return `This authorization reply was already used (a reload or the Back button?). Nothing more was changed; click Connect ${name} if you need to connect again.`;
    case 'state_expired':
      return `The authorization took longer than 10 minutes, so the hub no longer accepts its reply. Nothing was connected; click Connect ${name} again and finish within 10 minutes.`;
    case 'state_other_session':
      return `The authorization was started in another browser session (or you logged out and in meanwhile). Nothing was connected; click Connect ${name} again from this window.`;
    case 'state_wrong_provider':
      return `The reply arrived at ${name}'s callback but belongs to a different provider's Connect click. Nothing was connected; try again.`;
    case 'code_missing':
      return `${name} sent the browser back without an authorization code. Nothing was connected; try again.`;
    case 'code_rejected':
      return `${name} refused the authorization code: it expired${codeLifetimeNote !== undefined ? ` (${codeLifetimeNote})` : ''} or was already used.${extra} Nothing was connected; click Connect ${name} again.`;
    case 'token_exchange_failed':
      return `The hub could not exchange the authorization code for a token.${extra} Nothing was connected. If this persists, check the hub's ${configEnvPrefix}_CLIENT_ID and _CLIENT_SECRET.`;
    case 'token_exchange_timeout':
      return `${name} did not answer the token request in time.${extra} Nothing was connected; try again in a minute.`;
    case 'provider_unavailable':
      return `${name} could not be reached or had an error.${extra} Nothing was connected; try again in a minute.`;
    case 'insufficient_scope':
      return `${name} granted fewer permissions than the hub needs.${extra} Nothing was connected.`;
    case 'insufficient_role':
      return `${extra.trim()} Nothing was connected.`;
    case 'wrong_account':
      return `${extra.trim()} Nothing was changed.`;
    case 'already_connected':
      return `${name} is already connected for this organisation. To switch accounts, click Disconnect first, then Connect ${name} again.`;
    case 'account_lookup_failed':
      return `The hub got a token but could not read who and what it belongs to.${extra} Nothing was connected; try again.`;
    case 'not_admin':
      return `Only admins can connect ${name}, and your role changed since you clicked Connect. Nothing was connected; ask an admin of this organisation.`;
    case 'session_required':
      return `Your hub session ended before ${name} sent you back. Log in and click Connect ${name} again.`;
  }
}
