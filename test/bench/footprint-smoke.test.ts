/**
 * bench/footprint still runs and reports (issue 13 item 2): one quick run of the script against
 * the built hub, with the sandbox off and on. No timing or memory assertions — the figures are
 * the script's to print, on a quiet machine (docs/benchmarks.md); this only checks that they are
 * there and are measurements.
 */
import { expect, it } from 'vitest';
import { runBench } from './run-bench.js';

interface FootprintResult {
  sandbox: string;
  runs: number;
  firstReadyMsMedian: number;
  readyMsMedian: number;
  readyCpuMsMedian: number;
  idleRssMbMedian: number;
}

it('bench/footprint --quick measures ready time and idle memory with the sandbox off and on', { timeout: 120_000 }, async () => {
  const { code, output, report } = await runBench<{ results: FootprintResult[] }>('bench/footprint/run.mjs', () => ['--quick']);
  expect(code, output).toBe(0);
  // What a reader of the output needs: the machine, versions and command, then the table.
  for (const heading of ['machine', 'node', 'hub', 'command']) expect(output).toMatch(new RegExp(`^${heading} +\\S`, 'm'));
  expect(output).toContain('| sandbox | first start → ready, ms | restart → ready, ms |');
  expect(report!.results.map((result) => result.sandbox)).toEqual(['off', 'on']);
  for (const result of report!.results) {
    expect(result.runs).toBe(1);
    for (const figure of [result.firstReadyMsMedian, result.readyMsMedian, result.readyCpuMsMedian, result.idleRssMbMedian]) {
      expect(Number.isFinite(figure) && figure > 0, JSON.stringify(result)).toBe(true);
    }
  }
});
