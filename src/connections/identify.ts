import type { Config } from '../config/index.js';
import type { ProviderName } from '../db/tables.js';
import { ConnectFailure } from './connect-messages.js';
import { getViewer } from './linear-api.js';
import type { TokenSet } from './oauth-client.js';
import { getCurrentUser, PAGERDUTY_ROLE_NAMES, PAGERDUTY_ROLES_THAT_CAN_CONNECT } from './pagerduty-api.js';

/** Who and what a fresh token belongs to, learned right after the code exchange. */
export interface IdentifiedAccount {
  /** PagerDuty account id (subdomain when the ID token does not say) / Linear organization id. */
  accountId: string;
  accountName: string;
  subdomain: string | null;
  accountUrl: string | null;
  region: 'us' | 'eu' | null;
  /** PagerDuty: the regional REST base. Linear: the API base. */
  apiUrl: string;
  user: { id: string; name: string; email: string | null; role: string | null };
}

export async function identifyAccount(config: Config, provider: ProviderName, tokens: TokenSet): Promise<IdentifiedAccount> {
  return provider === 'pagerduty' ? identifyPagerDuty(config, tokens) : identifyLinear(config, tokens);
}

/**
 * PagerDuty: the region comes from the ID token (`region` claim, or the EU API base in `aud`);
 * then GET /users/me on that region's API names the user, their role and — through
 * `html_url` — the account's web address and subdomain. PagerDuty has no API for the account's
 * display name, so the subdomain names it.
 */
async function identifyPagerDuty(config: Config, tokens: TokenSet): Promise<IdentifiedAccount> {
  const pd = config.providers.pagerduty;
  const claims = tokens.idTokenClaims ?? {};
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const region: 'us' | 'eu' =
    claims.region === 'EuropeanUnion' || audiences.some((aud) => typeof aud === 'string' && /\beu\b/.test(new URL(aud, 'http://x').hostname))
      ? 'eu'
      : 'us';
  const apiUrl = pd.apiUrls[region];
  const user = await getCurrentUser({ apiUrl, accessToken: tokens.accessToken, timeoutMs: config.providerTimeoutMs });
  if (!PAGERDUTY_ROLES_THAT_CAN_CONNECT.has(user.role)) {
    const role = PAGERDUTY_ROLE_NAMES[user.role] ?? user.role;
    throw new ConnectFailure(
      'insufficient_role',
      `${user.name} has the ${role} role in PagerDuty; connecting needs the Manager, Admin or Global Admin role, because the hub creates webhook subscriptions. Ask a PagerDuty admin to change the role, or authorize as another user.`,
    );
  }
  const web = user.htmlUrl !== null ? safeUrl(user.htmlUrl) : undefined;
  const subdomain = typeof claims.subdomain === 'string' ? claims.subdomain : (web?.hostname.split('.')[0] ?? null);
  const accountId = typeof claims.account_id === 'string' ? claims.account_id : subdomain;
  if (accountId === null) throw new ConnectFailure('account_lookup_failed', 'PagerDuty did not say which account the token belongs to.');
  return {
    accountId,
    accountName: subdomain ?? accountId,
    subdomain,
    accountUrl: web?.origin ?? null,
    region,
    apiUrl,
    user: { id: user.id, name: user.name, email: user.email || null, role: user.role },
  };
}

async function identifyLinear(config: Config, tokens: TokenSet): Promise<IdentifiedAccount> {
  const linear = config.providers.linear;
  const viewer = await getViewer({ apiUrl: linear.apiUrl, accessToken: tokens.accessToken, timeoutMs: config.providerTimeoutMs });
  const organization = viewer.organization;
  return {
    accountId: organization.id,
    accountName: organization.name,
    subdomain: organization.urlKey,
    accountUrl: linear.mode === 'vendor' ? `${linear.oauthUrl}/${organization.urlKey}` : linear.oauthUrl,
    region: null,
    apiUrl: linear.apiUrl,
    user: { id: viewer.id, name: viewer.name, email: viewer.email, role: viewer.admin ? 'admin' : 'member' },
  };
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
