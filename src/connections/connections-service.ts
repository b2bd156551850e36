import type { SessionContext } from '../accounts/sessions.js';
import type { Config } from '../config/index.js';
import { fail, ok, type Result } from '../core/result.js';
import type { ProviderName } from '../providers/names.js';
import { PROVIDER_NAMES, ProviderUnauthorizedError } from '../providers/errors.js';
import { PROVIDER_KEYS } from '../providers/names.js';
import { RatePacer } from '../providers/pacing.js';
import { providers } from '../providers/registry.js';
import type { ProviderRequest } from '../providers/request.js';
import type { ProviderScope } from '../providers/webhooks.js';
import { findAttempt, type ConnectAttempt } from './attempts-repository.js';
import { startConnect } from './connect-start.js';
import { completeConnect, type CallbackResult } from './connect.js';
import type { Connection } from './connection.js';
import { findConnection, listConnections } from './connections-repository.js';
import type { ConnectDeps, ConnectionsDeps } from './deps.js';
import { disconnectConnection, type DisconnectCleanup, type DisconnectOutcome } from './disconnect.js';
import { ConnectionUnavailableError } from './errors.js';
import { createOAuthProvider, type OAuthProvider } from './oauth-client.js';
import { ConnectionTokens } from './tokens.js';

/** Every provider, in the order the hub shows them. */
export const PROVIDERS: readonly ProviderName[] = PROVIDER_KEYS;

/** Why Connect cannot start (the route answers 409 with the code). */
export type ConnectBlockedCode = 'already_connected' | 'pagerduty_not_connected' | 'provider_unconfigured';

/** Connect waits for another provider (Provider.requires): `<that provider>_not_connected`. */
type RequirementCode = Exclude<ConnectBlockedCode, 'already_connected' | 'provider_unconfigured'>;

export type ConnectionsServiceDeps = ConnectionsDeps;

/**
 * Everything the hub does with provider connections, for routes and (next) the sync workers:
 * connect, disconnect, read state, and `withProvider` — run provider calls with
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
    const oauth = Object.fromEntries(
      providers.all().map((provider) => [provider.name, createOAuthProvider(deps.config, provider)]),
    ) as Record<ProviderName, OAuthProvider>;
    this.#deps = { ...deps, oauth };
    this.tokens = new ConnectionTokens({ ...deps, oauth, timeoutMs: deps.config.providerTimeoutMs });
  }

  get config(): Config {
    return this.#deps.config;
  }

  oauthProvider(provider: ProviderName): OAuthProvider {
    return this.#deps.oauth[provider];
  }

  async list(organisationId: string): Promise<Map<ProviderName, Connection>> {
    const connections = await listConnections(this.#deps.database.db, organisationId);
    return new Map(connections.map((connection) => [connection.provider, connection]));
  }

  /** Why Connect is impossible right now, or undefined. */
  connectBlockedBy(
    provider: ProviderName,
    connections: Map<ProviderName, Connection>,
  ): { code: RequirementCode | 'provider_unconfigured'; message: string } | undefined {
    const { displayName: name, configEnvPrefix: env, requires } = providers.get(provider);
    if (this.#deps.config.providers[provider].mode === 'unconfigured') {
      return {
        code: 'provider_unconfigured',
        message: `${name} is not configured on this hub: an operator must set ${env}_CLIENT_ID and ${env}_CLIENT_SECRET (or run with the sandbox). See docs/connect-${provider}.md.`,
      };
    }
    const missing = requires.find((required) => connections.get(required.provider)?.status !== 'connected');
    if (missing === undefined) return undefined;
    const first = PROVIDER_NAMES[missing.provider];
    return {
      // The API lists the codes of the requirements that exist (api/connections.ts).
      code: `${missing.provider}_not_connected` as RequirementCode,
      message: `Connect ${first} first: ${name} is connected after ${first}, ${missing.why}.`,
    };
  }

  async startConnect(
    context: SessionContext,
    provider: ProviderName,
  ): Promise<Result<{ authorizationUrl: string; attemptId: string }, ConnectBlockedCode>> {
    const connections = await this.list(context.organisation.id);
    if (connections.get(provider)?.status === 'connected') {
      const name = PROVIDER_NAMES[provider];
      return fail('already_connected', `${name} is already connected. To switch accounts, click Disconnect first, then Connect ${name} again.`);
    }
    const blocked = this.connectBlockedBy(provider, connections);
    if (blocked !== undefined) return fail(blocked.code, blocked.message);
    return ok(await startConnect(this.#deps, context, provider));
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

  findAttempt(context: SessionContext, id: string): Promise<ConnectAttempt | undefined> {
    return findAttempt(this.#deps.database.db, context.organisation.id, context.user.id, id);
  }

  disconnect(context: SessionContext, provider: ProviderName): Promise<Result<DisconnectOutcome, 'not_connected'>> {
    return disconnectConnection({ ...this.#deps, tokens: this.tokens, cleanups: this.disconnectCleanups }, context, provider);
  }

  /** The teams or services of the connected account (Linear teams, PagerDuty services), live. */
  listScopes(organisationId: string, provider: ProviderName): Promise<ProviderScope[]> {
    return this.withProvider(organisationId, provider, (request) => providers.get(provider).scopes.list(request));
  }

  /** Runs provider calls for the organisation's connection; `from` is the connected user's e-mail. */
  withProvider<T>(organisationId: string, provider: ProviderName, call: (request: ProviderRequest) => Promise<T>): Promise<T> {
    return this.#withConnection(organisationId, provider, (connection, accessToken) =>
      call({
        apiUrl: connection.apiUrl,
        accessToken,
        timeoutMs: this.#deps.config.providerTimeoutMs,
        pacer: this.#pacer(connection),
        from: connection.providerUserEmail,
      }),
    );
  }

  /** One pacer per connection in this process, fed by every response's rate-limit headers. */
  #pacer(connection: Connection): RatePacer {
    let pacer = this.#pacers.get(connection.id);
    if (pacer === undefined) {
      const { readRateHeaders } = providers.get(connection.provider);
      pacer = new RatePacer(connection.provider, readRateHeaders, { now: () => this.#deps.clock.now() });
      this.#pacers.set(connection.id, pacer);
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
    call: (connection: Connection, accessToken: string) => Promise<T>,
  ): Promise<T> {
    const found = await findConnection(this.#deps.database.db, organisationId, provider);
    if (found === undefined) {
      throw new ConnectionUnavailableError(provider, 'not_connected', `${PROVIDER_NAMES[provider]} is not connected.`);
    }
    let connection = await this.tokens.fresh(provider, organisationId, found.id, undefined, found);
    try {
      return await call(connection, await this.tokens.accessToken(connection));
    } catch (error) {
      if (!(error instanceof ProviderUnauthorizedError)) throw error;
    }
    connection = await this.tokens.fresh(provider, organisationId, found.id, connection.tokenVersion);
    try {
      return await call(connection, await this.tokens.accessToken(connection));
    } catch (error) {
      if (error instanceof ProviderUnauthorizedError) return this.tokens.refusedAfterRefresh(connection);
      throw error;
    }
  }
}
