/**
 * bench/end-to-end still runs and reports (issue 13 item 2): one quick run of the script against
 * the built hub and the stand-ins. No timing assertions — the figures are the script's to print,
 * on a quiet machine (docs/benchmarks.md "End to end"); this checks that the whole path works
 * (every issue offered got its incident at the PagerDuty stand-in, the pacing run met no 429)
 * and that the figures are there and are measurements.
 */
import { expect, it } from 'vitest';
import { runBench } from './run-bench.js';

interface Distribution {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

interface EndToEndReport {
  latency: {
    issuesOffered: number;
    offerFailures: number;
    incidentsCreated: number;
    stillWaiting: number;
    status429: number;
    webhookToFirstCallMs: Distribution;
    incidentsPerSecondDuringLoad: number;
    drainSeconds: number;
  };
  pacing: { limitPerMinute: number; issuesOffered: number; incidentsCreated: number; status429: number; windows: unknown[] };
}

it('bench/end-to-end --quick measures webhook → incident latency and the pacing under a lowered rate limit', { timeout: 120_000 }, async () => {
  const { code, output, report } = await runBench<EndToEndReport>('bench/end-to-end/run.mjs', () => ['--quick']);
  expect(code, output).toBe(0);

  // What a reader of the output needs: the machine, versions and command, then the figures.
  for (const heading of ['machine', 'cpu', 'node', 'packages', 'hub', 'command']) expect(output).toMatch(new RegExp(`^${heading} +\\S`, 'm'));
  expect(output).toMatch(/^command +node bench\/end-to-end\/run\.mjs --quick/m);
  expect(output).toMatch(/\| \*\*hub: delivery received → first POST \/incidents\*\* \| \*\*[\d.]+ \/ [\d.]+ \/ [\d.]+ \/ [\d.]+\*\* \| \d+ \|/);
  expect(output).toMatch(/^incidents created: \d+ of \d+; [\d.]+\/s while the load ran/m);
  expect(output).toMatch(/^429s answered by the stand-in during the pacing run: \d+/m);

  const { latency, pacing } = report!;
  expect(latency.offerFailures).toBe(0);
  expect(latency.issuesOffered).toBe(300);
  // Every issue offered paged exactly through the hub: an incident each, none left waiting.
  expect(latency.incidentsCreated, JSON.stringify(latency)).toBe(latency.issuesOffered);
  expect(latency.stillWaiting).toBe(0);
  expect(latency.status429).toBe(0);
  expect(latency.webhookToFirstCallMs.count).toBe(latency.issuesOffered);
  for (const figure of [latency.webhookToFirstCallMs.p50, latency.webhookToFirstCallMs.p99, latency.webhookToFirstCallMs.max, latency.drainSeconds]) {
    expect(Number.isFinite(figure) && figure! >= 0, JSON.stringify(latency)).toBe(true);
  }
  // The pacing run: the hub slows down under the lowered limit instead of being refused.
  expect(pacing.issuesOffered).toBeGreaterThan(0);
  expect(pacing.windows.length).toBeGreaterThan(0);
  expect(pacing.status429, JSON.stringify(pacing)).toBe(0);
});
