import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test } from 'vitest';
import { packageRoot } from '../src/core/package-root.js';

/**
 * Every installed package must declare support for the oldest Node the hub supports
 * (package.json "engines"), so `npm ci` on Node 20 prints no EBADENGINE warning and nothing
 * runs on a Node its authors do not support (issue 14, item 10: cookie@2 declares Node >= 22;
 * package.json "overrides" pins cookie 1.1.1, which has the same API and supports Node 18+).
 * No database is involved: no dialect split.
 */
interface Semver {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
}
// semver is a dependency of fastify; typed here to the two functions used.
const semver = createRequire(import.meta.url)('semver') as Semver;

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  optional?: boolean;
}

const root = packageRoot();
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };

test('every locked package supports the oldest Node in our engines range', () => {
  const oldest = semver.minVersion(manifest.engines.node)?.version ?? '(none)';
  expect(oldest).toMatch(/^20\./);
  const refusing = Object.entries(lock.packages)
    // Optional packages are platform builds npm skips where they do not apply.
    .filter(([location, entry]) => location !== '' && entry.optional !== true)
    .flatMap(([location, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return range === undefined || semver.satisfies(oldest, range) ? [] : [`${location}@${entry.version ?? '?'} wants node ${range}`];
    });
  expect(refusing).toEqual([]);
});
