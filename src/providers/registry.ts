import { linearProvider } from './linear/provider.js';
import { PROVIDER_KEYS, type ProviderName } from './names.js';
import { pagerdutyProvider } from './pagerduty/provider.js';
import type { Provider } from './provider.js';

/**
 * Every provider the hub connects to, by name: the one place a vendor is registered. A third
 * vendor is a folder beside pagerduty/ and linear/ exporting a Provider, its key and display
 * name in names.ts, and its entry here (the compiler insists on one entry per key).
 */
const REGISTRY: Readonly<Record<ProviderName, Provider>> = {
  pagerduty: pagerdutyProvider,
  linear: linearProvider,
};

export const providers = {
  get(name: ProviderName): Provider {
    return REGISTRY[name];
  },
  /** In the order the hub shows them (PagerDuty, then Linear). */
  all(): readonly Provider[] {
    return PROVIDER_KEYS.map((name) => REGISTRY[name]);
  },
};
