import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../src/db/database.js';
import { assertBuilt, runCli, type Finished } from './helpers/cli.js';
import { TEST_DATABASE_URL, testDialects } from './helpers/databases.js';

/**
 * A database that cannot be reached or opened at start is the operator's to fix: one line on
 * stderr, exit 78 (EX_CONFIG), no stack trace and never the password (issue 14, item 10).
 * Runs the built program: `npm run build:server` first when running this file alone.
 */
const PASSWORD = `canary-db-password-${randomBytes(4).toString('hex')}`;
const masterKey = randomBytes(32).toString('base64');

function expectOneOperatorLine(result: Finished, what: string, ...mentions: string[]): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(78);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^integration-hub: /);
  for (const mention of mentions) expect(lines[0]).toContain(mention);
  const everything = result.stdout + result.stderr;
  expect(everything).not.toMatch(/\n\s+at /); // no stack frames
  expect(everything).not.toContain(PASSWORD);
}

/** Cases per dialect: [name, environment, what the line must mention]. */
function cases(dialect: Dialect, dir: string): Array<[string, Record<string, string>, string[]]> {
  if (dialect === 'postgres') {
    const known = new URL(TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    const missing = new URL(known.href);
    missing.pathname = `/hub_missing_${randomBytes(4).toString('hex')}`;
    return [
      ['nothing listens on the port', { DATABASE_URL: `postgres://hub:${PASSWORD}@127.0.0.1:1/hub` }, ['PostgreSQL', '127.0.0.1:1', 'connection refused']],
      ['the host does not resolve', { DATABASE_URL: `postgres://hub:${PASSWORD}@no-such-host.invalid/hub` }, ['no-such-host.invalid', 'does not resolve']],
      ['the database does not exist', { DATABASE_URL: missing.href }, ['does not exist', missing.pathname.slice(1)]],
      ['the role does not exist', { DATABASE_URL: `postgres://hub_no_such_role:${PASSWORD}@${known.host}${known.pathname}` }, ['hub_no_such_role']],
    ];
  }
  const notADatabase = path.join(dir, 'not-a-database.db');
  writeFileSync(notADatabase, 'this is not a SQLite file, it is just long enough to have a header\n'.repeat(4));
  const aFile = path.join(dir, 'a-file');
  writeFileSync(aFile, '');
  return [
    ['the file is not a database', { DATABASE_URL: `sqlite:${notADatabase}` }, ['not a SQLite database', notADatabase]],
    ['DATA_DIR cannot be created', { DATA_DIR: path.join(aFile, 'data') }, ['cannot open the SQLite database', 'DATA_DIR']],
  ];
}

describe.each(testDialects())('a database that cannot be opened at start, on %s', (dialect) => {
  let dir: string;
  beforeAll(() => {
    assertBuilt('dist/src/db/open-or-explain.js');
    dir = mkdtempSync(path.join(tmpdir(), 'hub-cli-db-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('start and migrate print one operator line and exit 78', { timeout: 120_000 }, async () => {
    for (const [name, env, mentions] of cases(dialect, dir)) {
      for (const verb of ['start', 'migrate']) {
        const result = await runCli([verb], { HUB_MASTER_KEY: masterKey, PORT: '0', SANDBOX: 'off', DATA_DIR: dir, ...env }).done;
        expectOneOperatorLine(result, `${verb}: ${name}`, ...mentions);
      }
    }
  });
});
