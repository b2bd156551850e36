/**
 * The key and display name of every provider the hub connects to. The keys are the registry's
 * (registry.ts has one Provider per key, checked by the compiler); they name the provider in
 * URLs, in the database and in the API. Nothing else in this file: it is imported by the
 * lowest layers (database row types, provider errors).
 */
export const PROVIDER_KEYS = ['pagerduty', 'linear'] as const;

export type ProviderName = (typeof PROVIDER_KEYS)[number];

/** Display names, for messages. */
export const PROVIDER_NAMES: Readonly<Record<ProviderName, string>> = { pagerduty: 'PagerDuty', linear: 'Linear' };

export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === 'string' && (PROVIDER_KEYS as readonly string[]).includes(value);
}
