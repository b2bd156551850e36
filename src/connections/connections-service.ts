import type { SessionContext } from '../accounts/sessions.js';
import type { Config } from '../config/index.js';
import type { ProviderName } from '../db/tables.js';
import { PROVIDER_NAMES, ProviderUnauthorizedError } from '../providers/errors.js';
import { PROVIDER_ADAPTERS } from '../providers/index.js';
import { listTeams, type LinearRequest, type LinearTeam } from '../providers/linear/api.js';
import { RatePacer, readLinearRateHeaders, readPagerDutyRateHeaders } from '../providers/pacing.js';
import { listServices, type PagerDutyRequest, type PagerDutyService } from '../providers/pagerduty/api.js';
import { findAttempt, type AttemptRow } from './attempts-repository.js';
import { startConnect } from './connect-start.js';
import { completeConnect, type CallbackResult } from './connect.js';
import { findConnection, listConnections, type ConnectionRow } from './connections-repository.js';
import type { ConnectDeps, ConnectionsDeps } from './deps.js';
import { disconnectConnection, type DisconnectCleanup, type DisconnectOutcome } from './disconnect.js';
import { ConnectionUnavailableError } from './errors.js';
import { createOAuthProvider, type OAuthProvider } from './oauth-client.js';
import { ConnectionTokens } from './tokens.js';

export const PROVIDERS: readonly ProviderName[] = ['pagerduty', 'linear'];

/** Why Connect cannot start; the route turns it into a 409. */
export class ConnectBlockedError extends Error {
  constructor(
    readonly code: 'already_connected' | 'pagerduty_not_connected' | 'provider_unconfigured',
    message: string,
  ) {
    super(message);
    this.name = 'ConnectBlockedError';
  }
}

export type ConnectionsServiceDeps = ConnectionsDeps;

/**
 * Everything the hub does with provider connections, for routes and (next) the sync workers:
 * connect, disconnect, read state, and `withPagerDuty`/`withLinear` — run provider calls with
 * a fresh token, refreshing once and retrying when the provider refuses it.
 */
export class ConnectionsService {
  readonly tokens: ConnectionTokens;
  /** Registered by modules that create things at the providers (webhooks), run on Disconnect. */
  readonly disconnectCleanups: DisconnectCleanup[] = [];
  /** Called after a connect or reconnect succeeds (main.ts: resume the jobs that waited for it). */
  readonly onConnected: Array<(organisationId: string, provider: ProviderName) => Promise<unknown>> = [];
  readonly #deps: ConnectDeps;
  readonly #pacers = new Map<string, RatePacer>();

  constructor(deps: ConnectionsServiceDeps) {
    const oauth: Record<ProviderName, OAuthProvider> = {
      pagerduty: createOAuthProvider(deps.config, PROVIDER_ADAPTERS.pagerduty),
      linear: createOAuthProvider(deps.config, PROVIDER_ADAPTERS.linear),
    };
    this.#deps = { ...deps, oauth };
    this.tokens = new ConnectionTokens({ ...deps, oauth, timeoutMs: deps.config.providerTimeoutMs });
  }

  get config(): Config {
    return this.#deps.config;
  }

  oauthProvider(provider: ProviderName): OAuthProvider {
    return this.#deps.oauth[provider];
  }

  async list(organisationId: string): Promise<Map<ProviderName, ConnectionRow>> {
    const rows = await listConnections(this.#deps.database.db, organisationId);
    return new Map(rows.map((row) => [row.provider, row]));
  }

  /** Why Connect is impossible right now, or undefined. */
  connectBlockedBy(
    provider: ProviderName,
    rows: Map<ProviderName, ConnectionRow>,
  ): { code: 'pagerduty_not_connected' | 'provider_unconfigured'; message: string } | undefined {
    const name = PROVIDER_NAMES[provider];
    if (this.#deps.config.providers[provider].mode === 'unconfigured') {
      const env = provider === 'pagerduty' ? 'PAGERDUTY' : 'LINEAR';
      return {
        code: 'provider_unconfigured',
        message: `${name} is not configured on this hub: an operator must set ${env}_CLIENT_ID and ${env}_CLIENT_SECRET (or run with the sandbox). See docs/connect-${provider}.md.`,
      };
    }
    if (provider === 'linear' && rows.get('pagerduty')?.status !== 'connected') {
      return { code: 'pagerduty_not_connected', message: 'Connect PagerDuty first: Linear is connected after PagerDuty, so rules can pick a service.' };
    }
    return undefined;
  }

  async startConnect(context: SessionContext, provider: ProviderName): Promise<{ authorizationUrl: string; attemptId: string }> {
    const rows = await this.list(context.organisation.id);
    if (rows.get(provider)?.status === 'connected') {
      const name = PROVIDER_NAMES[provider];
      throw new ConnectBlockedError('already_connected', `${name} is already connected. To switch accounts, click Disconnect first, then Connect ${name} again.`);
    }
    const blocked = this.connectBlockedBy(provider, rows);
    if (blocked !== undefined) throw new ConnectBlockedError(blocked.code, blocked.message);
    return startConnect(this.#deps, context, provider);
  }

  async completeConnect(provider: ProviderName, parameters: URLSearchParams, context: SessionContext | null): Promise<CallbackResult> {
    const result = await completeConnect(this.#deps, provider, parameters, context);
    if (result.kind === 'attempt' && result.outcome === 'succeeded' && context !== null) {
      for (const listener of this.onConnected) {
        await listener(context.organisation.id, provider).catch((error: unknown) =>
          this.#deps.logger.warn({ err: error, provider }, 'an after-connect step failed'),
        );
      }
    }
    return result;
  }

  findAttempt(context: SessionContext, id: string): Promise<AttemptRow | undefined> {
    return findAttempt(this.#deps.database.db, context.organisation.id, context.user.id, id);
  }

  disconnect(context: SessionContext, provider: ProviderName): Promise<DisconnectOutcome | undefined> {
    return disconnectConnection({ ...this.#deps, tokens: this.tokens, cleanups: this.disconnectCleanups }, context, provider);
  }

  listServices(organisationId: string): Promise<PagerDutyService[]> {
    return this.withPagerDuty(organisationId, (request) => listServices(request));
  }

  listTeams(organisationId: string): Promise<LinearTeam[]> {
    return this.withLinear(organisationId, (request) => listTeams(request));
  }

  /** Runs PagerDuty calls for the organisation's connection; `from` is the connected user's e-mail. */
  withPagerDuty<T>(organisationId: string, call: (request: PagerDutyRequest & { from: string | null }) => Promise<T>): Promise<T> {
    return this.#withConnection(organisationId, 'pagerduty', (row, accessToken) =>
      call({
        apiUrl: row.api_url,
        accessToken,
        timeoutMs: this.#deps.config.providerTimeoutMs,
        pacer: this.#pacer(row),
        from: row.provider_user_email,
      }),
    );
  }

  withLinear<T>(organisationId: string, call: (request: LinearRequest) => Promise<T>): Promise<T> {
    return this.#withConnection(organisationId, 'linear', (row, accessToken) =>
      call({ apiUrl: row.api_url, accessToken, timeoutMs: this.#deps.config.providerTimeoutMs, pacer: this.#pacer(row) }),
    );
  }

  /** One pacer per connection in this process, fed by every response's rate-limit headers. */
  #pacer(row: ConnectionRow): RatePacer {
    let pacer = this.#pacers.get(row.id);
    if (pacer === undefined) {
      pacer = new RatePacer(row.provider, row.provider === 'pagerduty' ? readPagerDutyRateHeaders : readLinearRateHeaders, {
        now: () => this.#deps.clock.now(),
      });
      this.#pacers.set(row.id, pacer);
    }
    return pacer;
  }

  /**
   * A fresh token (refreshed first if it expires soon); on a 401 one forced refresh — shared
   * with every other caller and process — and one retry; a second refusal disconnects.
   */
  async #withConnection<T>(
    organisationId: string,
    provider: ProviderName,
    call: (row: ConnectionRow, accessToken: string) => Promise<T>,
  ): Promise<T> {
    const found = await findConnection(this.#deps.database.db, organisationId, provider);
    if (found === undefined) {
      throw new ConnectionUnavailableError(provider, 'not_connected', `${PROVIDER_NAMES[provider]} is not connected.`);
    }
    let row = await this.tokens.fresh(provider, organisationId, found.id);
    try {
      return await call(row, await this.tokens.accessToken(row));
    } catch (error) {
      if (!(error instanceof ProviderUnauthorizedError)) throw error;
    }
    row = await this.tokens.fresh(provider, organisationId, found.id, row.token_version);
    try {
      return await call(row, await this.tokens.accessToken(row));
    } catch (error) {
      if (error instanceof ProviderUnauthorizedError) return this.tokens.refusedAfterRefresh(row);
      throw error;
    }
  }
}
