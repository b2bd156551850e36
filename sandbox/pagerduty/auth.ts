import type { FastifyRequest } from 'fastify';
import type { PdContext } from './context.js';
import { PdError, pdError } from './errors.js';
import type { Account, Actor, User } from './model.js';
import { hasScope } from './scopes.js';

/** Who is calling the REST API (API-NOTES §5.7: user tokens, app tokens, account API keys). */
export interface Caller {
  kind: 'oauth_user' | 'oauth_app' | 'api_key';
  account: Account;
  /** The user the credential acts as; null for app tokens and account API keys. */
  user: User | null;
  /** null = an API key, which has every permission of the account. */
  scopes: string[] | null;
  clientId: string | null;
  clientName: string | null;
  /** Rate-limit bucket (§2.9): per key, per app per user, per app per account. */
  bucket: string;
}

const BEARER = /^Bearer\s+(\S+)$/i;
const TOKEN = /^Token\s+token=(\S+)$/i;

/**
 * Resolves the Authorization header (§2.1). Anything else than a live Bearer token or a known
 * `Token token=` key is 401 `{"error":{"message":"Authentication failed","code":2006}}`, or an
 * empty 401 when the `bare401` setting is on (§5.7, ISS-TF1055).
 */
export function authenticate(ctx: PdContext, request: FastifyRequest): Caller {
  const fail = () => (ctx.state.settings.bare401 ? new PdError(401, null) : pdError.authenticationFailed());
  const header = request.headers.authorization ?? '';
  const bearer = BEARER.exec(header);
  if (bearer) {
    const token = ctx.store.authenticate(bearer[1]!);
    const account = token && ctx.state.account(token.account);
    if (!token || !account) throw fail();
    const user = token.user ? ctx.state.users.get(token.user) ?? null : null;
    return {
      kind: user ? 'oauth_user' : 'oauth_app',
      account,
      user,
      scopes: token.scopes,
      clientId: token.clientId,
      clientName: ctx.state.clients.get(token.clientId)?.name ?? token.clientId,
      bucket: user ? `app:${token.clientId}:user:${user.id}` : `app:${token.clientId}:account:${account.subdomain}`,
    };
  }
  const key = TOKEN.exec(header);
  const account = key && [...ctx.state.accounts.values()].find((a) => a.apiKey === key[1]);
  if (!account) throw fail();
  return { kind: 'api_key', account, user: null, scopes: null, clientId: null, clientName: null, bucket: `key:${account.apiKey}` };
}

export function requireScope(caller: Caller, scope: string): void {
  if (!hasScope(caller.scopes, scope)) throw pdError.missingScopes([scope]);
}

export const FROM_REQUIRED = `You must specify a user's email address in the "From" header to perform this action`;

/**
 * The acting user of a write (§2.1 "The From header"): a user token acts as its user; account
 * keys and app tokens must name an account user in `From` (400 otherwise). With the
 * `strictFrom` setting user tokens must send `From` too.
 */
export function actingUser(ctx: PdContext, caller: Caller, request: FastifyRequest): User {
  const from = typeof request.headers.from === 'string' ? request.headers.from.trim() : '';
  if (caller.user && !ctx.state.settings.strictFrom) return caller.user;
  if (from === '') throw pdError.invalidInput(FROM_REQUIRED);
  const user = ctx.state.userByEmail(caller.account.subdomain, from);
  if (!user) throw pdError.invalidInput(`The "From" header must be the email address of a user on this account: ${from}`);
  return caller.user ?? user;
}

/** The webhook `agent`/`client` of a REST change (§3.3). */
export function actorOf(caller: Caller, user: User): Actor {
  return { userId: user.id, clientName: caller.clientName };
}
