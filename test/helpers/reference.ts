import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/core/package-root.js';
import { requirePrerequisite } from './prerequisites.js';

/**
 * Where the vendors' official descriptions live: REFERENCE_DIR, else ../shared/reference next
 * to the repository. They are read in place, never copied into the repository.
 */
export function referenceDir(): string {
  return process.env.REFERENCE_DIR ?? path.resolve(packageRoot(), '..', 'shared', 'reference');
}

/** True when the reference files exist; in CI their absence fails the run. */
export function referenceAvailable(): boolean {
  const dir = referenceDir();
  return requirePrerequisite(
    `the vendor reference files (${dir}; set REFERENCE_DIR)`,
    existsSync(path.join(dir, 'pagerduty', 'openapiv3.json')) && existsSync(path.join(dir, 'linear', 'schema.graphql')),
  );
}
