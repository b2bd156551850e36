import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench } from './run-bench.js';

interface IntakeReport {
  results: Array<{ name: string; throughput: { ok: number; failed: number; p50: number; p99: number }; rates: Array<{ offered: number; ok: number; failed: number; unanswered: number; p99: number }> }>;
  comparisons: Array<{ hub: string; baseline: string; throughputRatio: number }>;
}

/**
 * bench/intake in its short form (`--quick`): it still starts the built hub and the baseline,
 * loads both and reports its figures. No timing is asserted here — speed is the bench's to
 * show (docs/benchmarks.md); this only proves the bench runs and the hub answers every signed
 * delivery it sends with a 2xx.
 */
describe('bench/intake --quick', () => {
  it('runs the hub and the baseline and reports throughput, percentiles, the ratio, the machine and the command', async () => {
    const { code, output, report, files } = await runBench<IntakeReport>('bench/intake/run.mjs', (dir) => ['--quick', '--svg', path.join(dir, 'intake.svg')], { read: ['intake.svg'] });
    expect(code, output).toBe(0);

    expect(output).toMatch(/command: +node bench\/intake\/run\.mjs --quick/);
    expect(output).toMatch(/machine: .+ \d+ cores, [\d.]+ GB RAM/);
    expect(output).toMatch(/versions: Node v\d+.*SQLite \d/);
    expect(output).toMatch(/hub-sqlite-normal \/ base-sqlite-normal: throughput \d+ \/ \d+ req\/s = ratio [\d.]+/);

    expect(report!.results.map((result) => result.name)).toEqual(['base-sqlite-normal', 'hub-sqlite-normal']);
    for (const result of report!.results) {
      expect(result.throughput.ok, result.name).toBeGreaterThan(0);
      expect(result.throughput.failed, result.name).toBe(0);
      expect(typeof result.throughput.p99).toBe('number');
      expect(result.rates.map((rate) => rate.offered)).toEqual([500]);
      for (const rate of result.rates) {
        expect(rate.failed, result.name).toBe(0);
        expect(rate.ok + rate.unanswered, result.name).toBeGreaterThan(0);
      }
    }
    expect(report!.comparisons).toEqual([expect.objectContaining({ hub: 'hub-sqlite-normal', baseline: 'base-sqlite-normal', throughputRatio: expect.any(Number) })]);
    expect(files['intake.svg']).toMatch(/^<svg [^>]*>[\s\S]*hub vs baseline[\s\S]*<\/svg>\n$/);
  }, 120_000);
});
