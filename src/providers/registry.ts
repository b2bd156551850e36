import { linearProvider } from './linear/provider.js';
import { PROVIDER_KEYS, type ProviderName } from './names.js';
import { pagerdutyProvider } from './pagerduty/provider.js';
import type { Provider } from './provider.js';
import type { IncidentPager, IssueTracker } from './roles.js';

/**
 * Every provider the hub connects to, by name: the one place a vendor is registered. A third
 * vendor is a folder beside pagerduty/ and linear/ exporting a Provider, its key and display
 * name in names.ts, and its entry here (the compiler insists on one entry per key).
 */
const REGISTRY: Readonly<Record<ProviderName, Provider>> = {
  pagerduty: pagerdutyProvider,
  linear: linearProvider,
};

/** The one registered provider playing `role`; more or fewer is a programming error (registry.test.ts). */
function playing<K extends 'issueTracker' | 'incidentPager'>(role: K): Provider & Required<Pick<Provider, K>> {
  const players = PROVIDER_KEYS.map((name) => REGISTRY[name]).filter(
    (provider): provider is Provider & Required<Pick<Provider, K>> => provider[role] !== undefined,
  );
  const [player] = players;
  if (player === undefined || players.length > 1) throw new Error(`Exactly one provider must play ${role}; ${players.length} do.`);
  return player;
}

export const providers = {
  get(name: ProviderName): Provider {
    return REGISTRY[name];
  },
  /** In the order the hub shows them (PagerDuty, then Linear). */
  all(): readonly Provider[] {
    return PROVIDER_KEYS.map((name) => REGISTRY[name]);
  },
  /** The provider whose issues rules watch (SPEC §1), with its tracker. */
  issueTracker(): Provider & { issueTracker: IssueTracker } {
    return playing('issueTracker');
  },
  /** The provider whose services rules page, with its pager. */
  incidentPager(): Provider & { incidentPager: IncidentPager } {
    return playing('incidentPager');
  },
};
