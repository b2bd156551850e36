import type { ProviderName } from '../providers/names.js';

/**
 * The connection cannot be used: not connected, or disconnected because its tokens stopped
 * working. Work for it must wait (paused), not fail.
 */
export class ConnectionUnavailableError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly status: 'not_connected' | 'disconnected',
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionUnavailableError';
  }
}
