import type { ReactNode } from 'react';
import type { MetaResponse, Provider } from '../../api/client.js';

/** What a card says about its provider whatever the connection's state (SPEC §1.2, §1.3). */
export interface ProviderInfo {
  name: string;
  /** Two letters standing in for the vendor's logo. */
  mark: string;
  summary: string;
  /** The permissions the hub asks for, in words. */
  permissions: string;
  /** The role (and plan) needed on the provider's side, and why. */
  requirement: ReactNode;
  /** What the account is called on this provider's side. */
  accountLabel: string;
}

export const PROVIDERS: Record<Provider, ProviderInfo> = {
  pagerduty: {
    name: 'PagerDuty',
    mark: 'PD',
    summary:
      'One PagerDuty account. The hub reads its services, creates and updates incidents, adds notes and creates a webhook subscription per service.',
    permissions:
      'The hub asks PagerDuty to read and write services, read and write incidents, create and manage webhooks, and read user information.',
    requirement: 'You need a Manager, Admin or Global Admin role in PagerDuty, on a Professional, Business or Enterprise plan.',
    accountLabel: 'Account',
  },
  linear: {
    name: 'Linear',
    mark: 'LN',
    summary:
      'One Linear workspace. The hub reads teams, projects and labels, updates issues, adds comments and creates a webhook per team.',
    permissions:
      'The hub asks Linear to read and write issues, read teams and projects, create and manage webhooks, read and write comments, and read user information.',
    requirement: (
      <>
        You need a Member or Admin role in Linear. The hub also asks for Linear's <code>admin</code> scope, because Linear
        lets only workspace admins (or apps holding the <code>admin</code> scope) create webhooks.
      </>
    ),
    accountLabel: 'Workspace',
  },
};

/** The sandbox stand-in's page for people, when the hub knows it. */
export function sandboxUrl(provider: Provider, sandbox: MetaResponse['sandbox']): string | undefined {
  if (sandbox === null) return undefined;
  return provider === 'pagerduty' ? sandbox.pagerdutyUrl : sandbox.linearUrl;
}

export function regionLabel(region: 'us' | 'eu' | null): string | undefined {
  return region === null ? undefined : region.toUpperCase();
}
