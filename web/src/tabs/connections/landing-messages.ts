import type { Provider } from '../../api/client.js';
import { PROVIDERS } from './providers.js';

/**
 * The callback's `?provider=…&error=<code>` (no attempt to look up: the hub puts no free text in
 * the address, so a forged link cannot put words on the page). Worded like the hub's own
 * messages for the same codes (src/connections/connect-messages.ts).
 */
export function landingErrorMessage(provider: Provider, code: string): string {
  const { name } = PROVIDERS[provider];
  switch (code) {
    case 'session_required':
      return `Your hub session ended before ${name} sent you back, so nothing was connected. Click Connect ${name} again.`;
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
    default:
      return `Connecting ${name} did not finish, so nothing was connected. Click Connect ${name} to try again.`;
  }
}
