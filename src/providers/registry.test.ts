import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { isProviderName, PROVIDER_KEYS, PROVIDER_NAMES } from './names.js';
import { providers } from './registry.js';

/**
 * The registry is the one place a vendor is known by name: this lists it, checks that every
 * entry implements the Provider interface, and that no code outside src/providers/ branches
 * on a provider's name. A third vendor shows up here as one more entry, with nothing else to
 * change outside its folders (docs/architecture.md § Adding a vendor).
 */
describe('the provider registry', () => {
  it('lists every provider, in the order the hub shows them', () => {
    expect(providers.all().map((provider) => provider.name)).toEqual(['pagerduty', 'linear']);
    expect(providers.all().map((provider) => provider.name)).toEqual([...PROVIDER_KEYS]);
    expect(providers.all().map((provider) => provider.displayName)).toEqual(['PagerDuty', 'Linear']);
  });

  it.each(PROVIDER_KEYS)('%s implements the Provider interface', (name) => {
    const provider = providers.get(name);
    expect(provider.name).toBe(name);
    expect(provider.displayName).toBe(PROVIDER_NAMES[name]);
    expect(['account', 'workspace']).toContain(provider.accountNoun);
    expect(provider.configEnvPrefix).toMatch(/^[A-Z][A-Z0-9_]*$/);
    for (const requirement of provider.requires) {
      expect(isProviderName(requirement.provider) && requirement.provider !== name).toBe(true);
      expect(requirement.why).not.toBe('');
    }
    for (const fn of ['oauth', 'normaliseTokenBody', 'identify', 'connectedMessage', 'readRateHeaders', 'healthCheck'] as const) {
      expect(typeof provider[fn], fn).toBe('function');
    }
    expect(provider.revoke === undefined || typeof provider.revoke === 'function').toBe(true);
    expect(typeof provider.scopes.list).toBe('function');
    const { webhooks } = provider;
    expect(webhooks.scopeKind).toBe(provider.scopes.kind);
    expect(['people', 'rules']).toContain(webhooks.managedBy);
    expect(['hub', 'provider']).toContain(webhooks.secretMadeBy);
    expect(webhooks.deliveryIdHeader).toBe(webhooks.deliveryIdHeader.toLowerCase());
    for (const fn of ['verify', 'parse', 'create', 'check', 'list', 'remove'] as const) expect(typeof webhooks[fn], fn).toBe('function');
    expect(webhooks.enable === undefined || typeof webhooks.enable === 'function').toBe(true);
    expect(webhooks.words.exists('X')).toContain('X');
  });

  it('has exactly one issue tracker (Linear) and one incident pager (PagerDuty), each naming its provider', () => {
    const trackers = providers.all().filter((provider) => provider.issueTracker !== undefined);
    const pagers = providers.all().filter((provider) => provider.incidentPager !== undefined);
    expect(trackers.map((provider) => provider.name)).toEqual(['linear']);
    expect(pagers.map((provider) => provider.name)).toEqual(['pagerduty']);
    const tracker = providers.issueTracker();
    expect(tracker).toBe(providers.get('linear'));
    expect(tracker.issueTracker.provider).toBe(tracker.name);
    for (const fn of ['teamStates', 'teamProjects', 'teamLabels', 'recentIssues'] as const) expect(typeof tracker.issueTracker[fn], fn).toBe('function');
    const pager = providers.incidentPager();
    expect(pager).toBe(providers.get('pagerduty'));
    expect(pager.incidentPager.provider).toBe(pager.name);
    for (const fn of ['service', 'priorities'] as const) expect(typeof pager.incidentPager[fn], fn).toBe('function');
  });

  it('knows names only from the registry', () => {
    expect(PROVIDER_KEYS.every(isProviderName)).toBe(true);
    for (const value of ['github', 'LINEAR', '', 'constructor', undefined, 42]) expect(isProviderName(value)).toBe(false);
  });
});

describe('outside src/providers/, nothing branches on a provider name', () => {
  const src = join(packageRoot(), 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
    );
  const names = PROVIDER_KEYS.join('|');
  const comparison = new RegExp(`(===?|!==?)\\s*['"\`](${names})['"\`]|['"\`](${names})['"\`]\\s*(===?|!==?)|case\\s+['"\`](${names})['"\`]\\s*:`);

  it('no ===, !== or case against a provider name literal', () => {
    const offending = files(src)
      .filter((file) => !relative(src, file).startsWith('providers'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, at: `src/${relative(src, file)}:${index + 1}` }))
          .filter(({ line }) => comparison.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offending).toEqual([]);
  });
});
