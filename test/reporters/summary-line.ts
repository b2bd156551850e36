import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends every run with the plain line CI reads: "N passed, N failed, N skipped".
 * A module that failed to load counts as one failure.
 */
export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[], unhandledErrors: readonly unknown[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      let tests = 0;
      for (const test of testModule.children.allTests()) {
        tests++;
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A module or suite that failed outside any test (import error, failing beforeAll) still fails the run.
      let suiteErrors = testModule.errors().length;
      for (const suite of testModule.children.allSuites()) suiteErrors += suite.errors().length;
      if (suiteErrors > 0 || (testModule.state() === 'failed' && tests === 0)) failed += Math.max(1, suiteErrors);
    }
    failed += unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
