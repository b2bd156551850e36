import type { CallPacer } from './pacing.js';

/**
 * What every call to a provider's API needs: where, with which token, how long to wait, and the
 * connection's pacer. ConnectionsService.withProvider supplies it with a fresh token (refreshed
 * once and retried on a 401); API functions are stateless and take it first.
 */
export interface ProviderRequest {
  /** The API base this connection calls (PagerDuty: by region; Linear: the GraphQL host). */
  apiUrl: string;
  accessToken: string;
  timeoutMs: number;
  /** The connection's pacer; none for one-off calls (connecting, revoking). */
  pacer?: CallPacer;
  /** E-mail of the provider user the token acts for (PagerDuty sends it as `From` on writes). */
  from?: string | null;
}
