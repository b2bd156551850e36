import type { ProviderName } from '../db/tables.js';
import type { ProviderAdapter } from './adapter.js';
import { linearAdapter } from './linear/adapter.js';
import { pagerdutyAdapter } from './pagerduty/adapter.js';

export type { ProviderName } from '../db/tables.js';

/** Every provider the hub connects to, by name. */
export const PROVIDER_ADAPTERS: Record<ProviderName, ProviderAdapter> = {
  pagerduty: pagerdutyAdapter,
  linear: linearAdapter,
};
