import type { Account } from './model.js';

/**
 * URLs in payloads. `self` points at the stand-in's REST API (the API base). `html_url` keeps
 * PagerDuty's host shape — `{subdomain}.pagerduty.com`, `{subdomain}.eu.pagerduty.com`
 * (API-NOTES §1.7, §5.6) — with `localhost` standing in for `pagerduty.com`, so
 * `http://acme.localhost:4010/incidents/PI00001` both parses like the real thing and opens the
 * responder page in a browser (*.localhost resolves to the loopback address).
 */
export class Urls {
  readonly api: string;
  private readonly url: URL;

  constructor(baseUrl: string) {
    this.url = new URL(baseUrl);
    this.api = baseUrl.replace(/\/+$/, '');
  }

  self(collection: string, id: string): string {
    return `${this.api}/${collection}/${id}`;
  }

  /** The account's web host, e.g. http://acme.localhost:4010 (EU: acme.eu.localhost). */
  web(account: Pick<Account, 'subdomain' | 'region'>): string {
    const { protocol, hostname, port } = this.url;
    const local = hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || /^\d+\.\d+\.\d+\.\d+$/.test(hostname);
    const parent = local ? 'localhost' : hostname;
    const region = account.region === 'eu' ? '.eu' : '';
    return `${protocol}//${account.subdomain}${region}.${parent}${port ? `:${port}` : ''}`;
  }

  /** Splits a web host back into subdomain (or undefined when the host is not an account host). */
  subdomainOf(host: string | undefined): string | undefined {
    if (!host) return undefined;
    const name = host.replace(/:\d+$/, '');
    const match = /^([a-z0-9-]+)(?:\.eu)?\.(.+)$/.exec(name);
    if (!match) return undefined;
    const parent = match[2];
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(this.url.hostname) || /^\d+\.\d+\.\d+\.\d+$/.test(this.url.hostname);
    return parent === (local ? 'localhost' : this.url.hostname) ? match[1] : undefined;
  }
}

/** ISO time without milliseconds, as REST payloads show it ("2015-10-06T21:30:42Z"). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** ISO time with milliseconds, as webhook `occurred_at` shows it (§3.3). */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}
