/**
 * Suites that need something outside Node (PostgreSQL, Chromium, the vendor reference files)
 * call this. On a laptop a missing prerequisite skips the suite with a visible notice; in CI
 * (CI=true) it fails the run, so CI can never pass by skipping.
 */
const noticed = new Set<string>();

export function requirePrerequisite(name: string, available: boolean): boolean {
  if (available) return true;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but ${name} is not available: this suite must run in CI (see .ci/run).`);
  }
  if (!noticed.has(name)) {
    noticed.add(name);
    process.stderr.write(`\n⚠ SKIPPING suites that need ${name}: not available on this machine.\n`);
  }
  return false;
}
