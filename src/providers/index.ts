export { isProviderName, PROVIDER_KEYS, PROVIDER_NAMES, type ProviderName } from './names.js';
export type { FreshToken, IdentifiedAccount, IdentifyResult, Provider, ProviderOAuthSettings } from './provider.js';
export { providers } from './registry.js';
export type { ProviderRequest } from './request.js';
export type { IncidentPager, IssueTracker, TrackerIssue, TrackerLabel, TrackerNamed, TrackerState } from './roles.js';
