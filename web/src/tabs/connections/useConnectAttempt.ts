import { useEffect, useState } from 'react';
import { ApiRequestError, api, type ConnectAttemptView, type Provider } from '../../api/client.js';
import { landingErrorMessage } from './landing-messages.js';
import type { CardNotice } from './notices.js';
import { PROVIDERS } from './providers.js';

/**
 * How the browser came back from a provider's consent page: `/connections?attempt=<id>`, or
 * `/connections?provider=<p>&error=<code>` when the hub could not tie the return to a session.
 */
type Landing = { kind: 'attempt'; id: string } | { kind: 'error'; provider: Provider; code: string };

export function readLanding(search: string): Landing | undefined {
  const params = new URLSearchParams(search);
  const attempt = params.get('attempt');
  if (attempt !== null && attempt !== '') return { kind: 'attempt', id: attempt };
  const provider = params.get('provider');
  const code = params.get('error');
  if (code !== null && (provider === 'pagerduty' || provider === 'linear')) return { kind: 'error', provider, code };
  return undefined;
}

/** The outcome to show: on a provider's card, or (provider unknown) above the cards. */
export interface AttemptOutcome {
  provider: Provider | undefined;
  notice: CardNotice;
}

function attemptNotice(attempt: ConnectAttemptView): CardNotice {
  const { name } = PROVIDERS[attempt.provider];
  switch (attempt.outcome) {
    case 'succeeded':
      return { kind: 'success', message: attempt.message ?? `Connected to ${name}.` };
    case 'failed':
      return { kind: 'error', message: attempt.message ?? `Connecting ${name} failed. Click Connect ${name} to try again.` };
    case 'pending':
      return {
        kind: 'info',
        message: attempt.message ?? `Connecting ${name} has not finished. If you left ${name}'s page, click Connect ${name} again.`,
      };
  }
}

/**
 * Reads the outcome of a Connect click from the address once, removes it from the address (so
 * a reload does not show it again) and, for `?attempt=`, asks the hub how the attempt ended.
 */
export function useConnectAttempt(): { checking: boolean; outcome: AttemptOutcome | undefined } {
  const [landing] = useState(() => readLanding(window.location.search));
  const [outcome, setOutcome] = useState<AttemptOutcome | undefined>(() => {
    if (landing?.kind !== 'error') return undefined;
    return { provider: landing.provider, notice: { kind: 'error', message: landingErrorMessage(landing.provider, landing.code) } };
  });
  const [checking, setChecking] = useState(landing?.kind === 'attempt');

  useEffect(() => {
    if (landing === undefined) return undefined;
    if (window.location.search !== '') {
      window.history.replaceState(window.history.state, '', window.location.pathname + window.location.hash);
    }
    if (landing.kind !== 'attempt') return undefined;
    let current = true;
    const check = async (id: string): Promise<void> => {
      try {
        const { attempt } = await api.connectAttempt(id);
        if (current) setOutcome({ provider: attempt.provider, notice: attemptNotice(attempt) });
      } catch (caught) {
        if (!(caught instanceof ApiRequestError)) throw caught;
        const message = `The hub could not tell how connecting went: ${caught.message} The cards below show each connection as it is now.`;
        if (current) setOutcome({ provider: undefined, notice: { kind: 'error', message } });
      } finally {
        if (current) setChecking(false);
      }
    };
    void check(landing.id);
    return () => {
      current = false;
    };
  }, [landing]);

  return { checking, outcome };
}
