import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';

/**
 * The boundary and lint checks fail on a planted violation, naming the rule (issue 9, item 7).
 * A miniature hub (the same folder names, a few lines each) is written to a temporary folder —
 * never into src/ — and checked with the project's own .dependency-cruiser.mjs and
 * eslint.config.js, exactly as `npm run lint:deps` and `npm run lint` run them: first clean,
 * then with one planted file per rule. No database is involved: no dialect split.
 */
const root = packageRoot();
const DEPCRUISE = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const ESLINT = path.join(root, 'node_modules/eslint/bin/eslint.js');
const RUN_TIMEOUT_MS = 90_000;

/** Allowed imports: the fixture passes both checks before anything is planted. */
const CLEAN: Record<string, string> = {
  'src/core/clock.ts': 'export const now = (): number => Date.now();\n',
  'src/db/tables.ts': 'export interface JobsTable {\n  id: string;\n}\n',
  'src/queue/queue.ts': "import { now } from '../core/clock.js';\n\nexport const enqueuedAt = (): number => now();\n",
  'src/connections/connections.ts': 'export const connectionCount = 0;\n',
  'src/http/failures.ts': 'export const notFoundStatus = 404;\n',
  'src/api/session.ts': 'export interface SessionResponse {\n  userId: string;\n}\n',
  // Only src/providers/ may compare with a provider name.
  'src/providers/linear/provider.ts': "export const isLinear = (provider: string): boolean => provider === 'linear';\n",
  'web/src/session.ts': "import type { SessionResponse } from '../../src/api/session.js';\n\nexport const signedOut: SessionResponse = { userId: '' };\n",
  'sandbox/index.ts': "import { now } from '../src/core/clock.js';\n\nexport const startedAt = now();\n",
};

/** One planted violation per rule: the file, what it imports, and the rule that must name it. */
const PLANTED: Array<{ file: string; source: string; rule: string; target: string }> = [
  {
    file: 'src/queue/planted.ts',
    source: "import { connectionCount } from '../connections/connections.js';\n\nexport const planted = connectionCount;\n",
    rule: 'queue-imports-only-db-core-observability',
    target: 'src/connections/connections.ts',
  },
  {
    file: 'src/providers/linear/planted.ts',
    source: "import type { JobsTable } from '../../db/tables.js';\n\nexport type Planted = JobsTable;\n",
    rule: 'providers-import-only-core-config-observability',
    target: 'src/db/tables.ts',
  },
  {
    file: 'src/webhooks/planted.ts',
    source: [
      "import { notFoundStatus } from '../http/failures.js';",
      '',
      'export function statusFor(provider: string): number {',
      "  if (provider === 'linear') return notFoundStatus;",
      '  switch (provider) {',
      "    case 'pagerduty':",
      '      return 0;',
      '    default:',
      '      return 1;',
      '  }',
      '}',
      '',
    ].join('\n'),
    rule: 'domain-does-not-import-http',
    target: 'src/http/failures.ts',
  },
  {
    file: 'src/accounts/planted.ts',
    source: "import type { SessionResponse } from '../api/session.js';\n\nexport type Planted = SessionResponse;\n",
    rule: 'domain-does-not-import-the-api-contract',
    target: 'src/api/session.ts',
  },
  {
    file: 'src/api/planted.ts',
    source: "import { now } from '../core/clock.js';\n\nexport const planted = now;\n",
    rule: 'api-contract-imports-only-zod',
    target: 'src/core/clock.ts',
  },
  {
    file: 'web/src/planted.ts',
    source: "import type { JobsTable } from '../../src/db/tables.js';\n\nexport type Planted = JobsTable;\n",
    rule: 'web-imports-only-web-and-the-api-contract',
    target: 'src/db/tables.ts',
  },
  {
    file: 'sandbox/planted.ts',
    source: "import { enqueuedAt } from '../src/queue/queue.js';\n\nexport const planted = enqueuedAt;\n",
    rule: 'sandbox-imports-no-hub-code',
    target: 'src/queue/queue.ts',
  },
  {
    file: 'src/core/cycle-a.ts',
    source: "import { b } from './cycle-b.js';\n\nexport const a = (): number => b() + 1;\n",
    rule: 'no-circular',
    target: 'src/core/cycle-b.ts',
  },
  {
    file: 'src/core/cycle-b.ts',
    source: "import { a } from './cycle-a.js';\n\nexport const b = (): number => (Date.now() < 0 ? a() : 0);\n",
    rule: 'no-circular',
    target: 'src/core/cycle-a.ts',
  },
];

let fixture: string;

function write(files: Record<string, string>): void {
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(fixture, file)), { recursive: true });
    writeFileSync(path.join(fixture, file), source);
  }
}

/** Runs a tool's CLI in the fixture; resolves with its exit code and everything it printed. */
function run(bin: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: fixture, timeout: RUN_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

const boundaries = () =>
  run(DEPCRUISE, ['src', 'sandbox', 'web/src', '--config', path.join(root, '.dependency-cruiser.mjs'), '--output-type', 'err-long']);
const lint = () => run(ESLINT, ['--config', path.join(root, 'eslint.config.js'), 'src', 'sandbox', 'web']);

beforeAll(() => {
  fixture = mkdtempSync(path.join(os.tmpdir(), 'hub-boundaries-'));
  // The project's compiler options (so `.js` specifiers resolve to `.ts` as in the tree), no
  // ambient types: the fixture has no node_modules of its own.
  const { compilerOptions } = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: object };
  write({
    'package.json': JSON.stringify({ name: 'boundaries-fixture', private: true, type: 'module' }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { ...compilerOptions, types: [] }, include: ['src', 'sandbox', 'web'] }),
    ...CLEAN,
  });
});

afterAll(() => {
  rmSync(fixture, { recursive: true, force: true });
});

describe('boundary and lint checks', { timeout: 2 * RUN_TIMEOUT_MS }, () => {
  it('pass on a tree that keeps the layering', async () => {
    const [deps, eslint] = await Promise.all([boundaries(), lint()]);
    expect(deps.output).toContain('no dependency violations found');
    expect(deps.code).toBe(0);
    expect(eslint.output).toBe('');
    expect(eslint.code).toBe(0);
  });

  it('fail on planted violations, naming each rule and the import that breaks it', async () => {
    write(Object.fromEntries(PLANTED.map(({ file, source }) => [file, source])));
    const [deps, eslint] = await Promise.all([boundaries(), lint()]);

    expect(deps.code).not.toBe(0);
    for (const { file, rule, target } of PLANTED.filter((planted) => planted.rule !== 'no-circular')) {
      expect(deps.output).toContain(`error ${rule}: ${file} → ${target}`);
    }
    expect(deps.output).toMatch(/error no-circular: src\/core\/cycle-(a|b)\.ts →/);

    expect(eslint.code).not.toBe(0);
    const branches = eslint.output.split('\n').filter((line) => line.includes('[provider-names-only-in-providers]'));
    expect(branches).toHaveLength(2); // the `===` and the `case`, both in src/webhooks/planted.ts
    expect(branches.every((line) => line.trim().endsWith('no-restricted-syntax'))).toBe(true);
    expect(eslint.output).toContain(path.join(fixture, 'src/webhooks/planted.ts'));
    expect(eslint.output).not.toContain('src/providers/linear/provider.ts');
  });
});
