import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { assertBuilt } from '../helpers/cli.js';

/**
 * bench/intake in its short form (`--quick`): it still starts the built hub and the baseline,
 * loads both and reports its figures. No timing is asserted here — speed is the bench's to
 * show (docs/benchmarks.md); this only proves the bench runs and the hub answers every signed
 * delivery it sends with a 2xx.
 */
describe('bench/intake --quick', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-bench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the hub and the baseline and reports throughput, percentiles, the ratio, the machine and the command', async () => {
    assertBuilt('dist/src/main.js');
    const json = path.join(dir, 'intake.json');
    const svg = path.join(dir, 'intake.svg');
    const child = spawn(process.execPath, ['bench/intake/run.mjs', '--quick', '--json', json, '--svg', svg], {
      cwd: packageRoot(),
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(0);

    expect(output).toMatch(/command: +node bench\/intake\/run\.mjs --quick/);
    expect(output).toMatch(/machine: .+ \d+ cores, [\d.]+ GB RAM/);
    expect(output).toMatch(/versions: Node v\d+.*SQLite \d/);
    expect(output).toMatch(/hub-sqlite-normal \/ base-sqlite-normal: throughput \d+ \/ \d+ req\/s = ratio [\d.]+/);

    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      results: Array<{ name: string; throughput: { ok: number; failed: number; p50: number; p99: number }; rates: Array<{ offered: number; ok: number; failed: number; unanswered: number; p99: number }> }>;
      comparisons: Array<{ hub: string; baseline: string; throughputRatio: number }>;
    };
    expect(report.results.map((result) => result.name)).toEqual(['base-sqlite-normal', 'hub-sqlite-normal']);
    for (const result of report.results) {
      expect(result.throughput.ok, result.name).toBeGreaterThan(0);
      expect(result.throughput.failed, result.name).toBe(0);
      expect(typeof result.throughput.p99).toBe('number');
      expect(result.rates.map((rate) => rate.offered)).toEqual([500]);
      for (const rate of result.rates) {
        expect(rate.failed, result.name).toBe(0);
        expect(rate.ok + rate.unanswered, result.name).toBeGreaterThan(0);
      }
    }
    expect(report.comparisons).toEqual([expect.objectContaining({ hub: 'hub-sqlite-normal', baseline: 'base-sqlite-normal', throughputRatio: expect.any(Number) })]);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*hub vs baseline[\s\S]*<\/svg>\n$/);
  }, 90_000);
});
