import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { ConfigError, parseConfig } from './index.js';

const validKey = randomBytes(32).toString('base64');

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has working defaults for the embedded mode', () => {
    const config = parseConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toMatchObject({ dialect: 'sqlite', synchronous: 'NORMAL' });
    expect(config.database.dialect === 'sqlite' && config.database.file).toBe(path.resolve('data', 'hub.db'));
    expect(config.publicUrl.href).toBe('http://localhost:3000/');
    expect(config.masterKey).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it('derives PUBLIC_URL from PORT and switches to PostgreSQL on a postgres:// URL', () => {
    const config = parseConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@db/hub', HUB_MASTER_KEY: validKey });
    expect(config.publicUrl.origin).toBe('http://localhost:8080');
    expect(config.database).toEqual({ dialect: 'postgres', url: 'postgres://u@db/hub' });
    expect(config.masterKey?.length).toBe(32);
  });

  it('lists every bad variable at once, without echoing values', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      PUBLIC_URL: 'ftp://nope',
      HUB_MASTER_KEY: 'c2hvcnQta2V5',
      HUB_ADMIN_EMAIL: 'admin@example.com',
      DATABASE_URL: 'mysql://x',
    });
    const variables = problems.map((problem) => problem.split(':')[0]);
    expect(variables).toEqual(
      expect.arrayContaining(['PORT', 'LOG_LEVEL', 'PUBLIC_URL', 'HUB_MASTER_KEY', 'DATABASE_URL']),
    );
    expect(problems.join('\n')).not.toContain('c2hvcnQta2V5');
  });

  it('refuses a short or malformed master key', () => {
    expect(problemsOf({ HUB_MASTER_KEY: randomBytes(16).toString('base64') })[0]).toMatch(
      /HUB_MASTER_KEY: must decode to exactly 32 bytes, got 16/,
    );
    expect(problemsOf({ HUB_MASTER_KEY: 'not base64 at all!' })[0]).toMatch(/HUB_MASTER_KEY: must be base64/);
    expect(problemsOf({ HUB_MASTER_KEY_PREVIOUS: `${validKey},abc` })[0]).toMatch(/HUB_MASTER_KEY_PREVIOUS: key #2/);
  });

  it('requires the admin e-mail and password together, and a master key with PostgreSQL', () => {
    expect(problemsOf({ HUB_ADMIN_PASSWORD: 'long enough password' })).toEqual([
      'HUB_ADMIN_EMAIL: HUB_ADMIN_EMAIL and HUB_ADMIN_PASSWORD must be set together',
    ]);
    expect(problemsOf({ DATABASE_URL: 'postgresql://localhost/hub' })[0]).toMatch(/^HUB_MASTER_KEY: is required/);
  });

  it('refuses control and invisible formatting characters in HUB_ADMIN_ORGANISATION, naming the character', () => {
    expect(problemsOf({ HUB_ADMIN_ORGANISATION: 'Acme\u202Egnp.exe' })).toEqual([
      expect.stringMatching(/^HUB_ADMIN_ORGANISATION: must not contain control or invisible formatting characters.*U\+202E$/),
    ]);
    expect(problemsOf({ HUB_ADMIN_ORGANISATION: 'Acme\nCorp' })[0]).toMatch(/U\+000A$/);
  });

  it('reconciles every 5 minutes by default, and never more often than every 10 seconds', () => {
    expect(parseConfig({}).reconcileIntervalMs).toBe(300_000);
    expect(parseConfig({ RECONCILE_INTERVAL_SECONDS: '10' }).reconcileIntervalMs).toBe(10_000);
    expect(problemsOf({ RECONCILE_INTERVAL_SECONDS: '9' }).map((problem) => problem.split(':')[0])).toEqual(['RECONCILE_INTERVAL_SECONDS']);
  });

  it('is the only module that reads process.env', () => {
    const root = packageRoot();
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts') && !file.includes(`${path.sep}config${path.sep}`)) {
          if (readFileSync(file, 'utf8').includes('process.env')) offenders.push(path.relative(root, file));
        }
      }
    };
    walk(path.join(root, 'src'));
    expect(offenders).toEqual([]);
  });

  it('refuses ports that would collide with each other', () => {
    expect(problemsOf({ SANDBOX_PAGERDUTY_PORT: '5000', SANDBOX_LINEAR_PORT: '5000' })).toEqual([
      'SANDBOX_LINEAR_PORT: must differ from SANDBOX_PAGERDUTY_PORT',
    ]);
    expect(problemsOf({ PORT: '4010' })[0]).toMatch(/^PORT: must differ from the sandbox ports/);
    expect(parseConfig({ PORT: '4010', SANDBOX: 'off' }).port).toBe(4010);
    expect(problemsOf({ SANDBOX_LINEAR_PORT: '0' })[0]).toMatch(/^SANDBOX_LINEAR_PORT: /);
  });
});
