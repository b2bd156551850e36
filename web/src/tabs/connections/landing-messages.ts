import type { Provider } from '../../api/client.js';
import { PROVIDERS } from './providers.js';

/**
 * The callback's `?provider=…&error=<code>`: only when the browser came back without a hub
 * session (every other outcome is an attempt the tab reads from the API, with the hub's own
 * message). The hub puts no free text in the address, so a forged link cannot put words here.
 */
export function landingErrorMessage(provider: Provider, code: string): string {
  const { name } = PROVIDERS[provider];
  if (code === 'session_required') {
    return `Your hub session ended before ${name} sent you back, so nothing was connected. Log in and click Connect ${name} again.`;
  }
  return `Connecting ${name} did not finish, so nothing was connected. Click Connect ${name} to try again.`;
}
