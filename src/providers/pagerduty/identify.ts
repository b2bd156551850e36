import type { Config } from '../../config/index.js';
import { fail, ok } from '../../core/result.js';
import type { FreshToken, IdentifyResult } from '../provider.js';
import { getCurrentUser } from './api.js';

/** Roles that may manage webhook subscriptions (the product needs Manager, Admin or Global Admin). */
export const PAGERDUTY_ROLES_THAT_CAN_CONNECT = new Set(['owner', 'admin', 'user']);

/** PagerDuty's words for its role ids, for messages. */
export const PAGERDUTY_ROLE_NAMES: Record<string, string> = {
  owner: 'Global Admin (account owner)',
  admin: 'Admin',
  user: 'Manager',
  limited_user: 'Responder',
  observer: 'Observer',
  restricted_access: 'Restricted Access',
  read_only_user: 'Stakeholder',
  read_only_limited_user: 'Limited Stakeholder',
};

/**
 * The region comes from the ID token hints (`region` claim, or the EU API base in `aud`); then
 * GET /users/me on that region's API names the user, their role and — through `html_url` —
 * the account's web address and subdomain. PagerDuty has no API for the account's display
 * name, so the subdomain names it.
 */
export async function identifyPagerDuty(config: Config, token: FreshToken): Promise<IdentifyResult> {
  const pd = config.providers.pagerduty;
  const claims = token.hints ?? {};
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const region: 'us' | 'eu' = claims.region === 'EuropeanUnion' || audiences.some(isEuApiBase) ? 'eu' : 'us';
  const apiUrl = pd.apiUrls[region];
  const user = await getCurrentUser({ apiUrl, accessToken: token.accessToken, timeoutMs: config.providerTimeoutMs });
  if (!PAGERDUTY_ROLES_THAT_CAN_CONNECT.has(user.role)) {
    const role = PAGERDUTY_ROLE_NAMES[user.role] ?? user.role;
    return fail(
      'insufficient_role',
      `${user.name} has the ${role} role in PagerDuty; connecting needs the Manager, Admin or Global Admin role, because the hub creates webhook subscriptions. Ask a PagerDuty admin to change the role, or authorize as another user.`,
    );
  }
  const web = user.htmlUrl !== null ? safeUrl(user.htmlUrl) : undefined;
  const subdomain = typeof claims.subdomain === 'string' ? claims.subdomain : (web?.hostname.split('.')[0] ?? null);
  const accountId = typeof claims.account_id === 'string' ? claims.account_id : (subdomain ?? user.id);
  return ok({
    accountId,
    accountName: subdomain ?? accountId,
    subdomain,
    accountUrl: web?.origin ?? null,
    region,
    apiUrl,
    user: { id: user.id, name: user.name, email: user.email || null, role: user.role },
  });
}

function isEuApiBase(aud: unknown): boolean {
  return typeof aud === 'string' && safeUrl(aud)?.hostname.split('.').includes('eu') === true;
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
