/**
 * OAuth applications registered with the Linear stand-in. The hub's sandbox client is seeded;
 * `POST /_sandbox/clients` registers or replaces one (the hub registers
 * `${PUBLIC_URL}/oauth/linear/callback` at start-up). Registrations survive `/_sandbox/reset`.
 */
export interface LinearClientConfig {
  clientId: string;
  /** null = a public client: code exchange needs PKCE instead (API-NOTES §1.4). */
  clientSecret: string | null;
  /** Shown on the consent page and as the `actor.name` of actor=app changes. */
  name: string;
  /** Exact-match allow list (API-NOTES §5.1). */
  redirectUris: string[];
  /** Shown on the consent page ("by …"). */
  developer?: string;
  /** Answer `scope` as an array of strings, like apps created before 2023-12-01 (API-NOTES §1.4). */
  scopeAsArray?: boolean;
}

export const SANDBOX_CLIENT_ID = 'integration-hub-sandbox';

export const DEFAULT_CLIENTS: LinearClientConfig[] = [
  {
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: 'integration-hub-sandbox-secret',
    name: 'Integration Hub (sandbox)',
    developer: 'Integration Hub',
    redirectUris: ['http://localhost:3000/oauth/linear/callback', 'http://127.0.0.1:3000/oauth/linear/callback'],
  },
];

export class ClientRegistry {
  private readonly clients = new Map<string, LinearClientConfig>();

  constructor(initial: LinearClientConfig[]) {
    for (const c of initial) this.set(c);
  }

  get(clientId: string): LinearClientConfig | undefined {
    return this.clients.get(clientId);
  }

  set(client: LinearClientConfig): LinearClientConfig {
    const copy = { ...client, redirectUris: [...client.redirectUris] };
    this.clients.set(client.clientId, copy);
    return copy;
  }

  list(): LinearClientConfig[] {
    return [...this.clients.values()];
  }
}
