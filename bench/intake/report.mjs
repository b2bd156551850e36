#!/usr/bin/env node
// Turns saved bench/intake results (run.mjs --json) into the Markdown tables of
// docs/benchmarks.md and, with --svg, the chart:
//   node bench/intake/report.mjs results.json [--before before.json] [--svg docs/images/bench-intake.svg]
import { readFileSync, writeFileSync } from 'node:fs';
import { intakeChart } from './chart.mjs';

const argv = process.argv.slice(2);
const option = (name) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? undefined : argv.splice(at, 2)[1];
};
const beforeFile = option('before');
const svgFile = option('svg');
const [afterFile] = argv;
if (afterFile === undefined) throw new Error('usage: report.mjs results.json [--before before.json] [--svg file]');
const after = JSON.parse(readFileSync(afterFile, 'utf8'));
const before = beforeFile === undefined ? undefined : JSON.parse(readFileSync(beforeFile, 'utf8'));

const fmt = (value) => {
  if (value === null || value === undefined) return '—';
  // Latencies: whole milliseconds from 100 up, one decimal below; counts with separators.
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return rounded.toLocaleString('en-US');
};
const ratioText = (value) => (value === null || value === undefined ? '—' : String(value));
function tables(run, label) {
  const byName = new Map(run.results.map((result) => [result.name, result]));
  const lines = [`**${label}** — \`${run.environment.command}\`, ${run.environment.date.slice(0, 16).replace('T', ' ')} UTC, load average at start ${run.environment.loadavg.join(' ')}`, ''];
  lines.push('| | hub req/s | baseline req/s | ratio | hub p50 / p99 ms | baseline p50 / p99 ms |', '|---|---|---|---|---|---|');
  for (const c of run.comparisons) {
    const hub = byName.get(c.hub).throughput;
    const base = byName.get(c.baseline).throughput;
    lines.push(`| ${c.hub.replace('hub-', '')} | ${fmt(hub.throughput)} | ${fmt(base.throughput)} | **${ratioText(c.throughputRatio)}** | ${fmt(hub.p50)} / ${fmt(hub.p99)} | ${fmt(base.p50)} / ${fmt(base.p99)} |`);
  }
  lines.push('', '| | offered/s | hub achieved/s | baseline achieved/s | hub p50 / p90 / p99 ms | baseline p50 / p90 / p99 ms | p99 ratio |', '|---|---|---|---|---|---|---|');
  for (const c of run.comparisons) {
    for (const r of c.rates) {
      const hub = byName.get(c.hub).rates.find((rate) => rate.offered === r.offered);
      const base = byName.get(c.baseline).rates.find((rate) => rate.offered === r.offered);
      const unanswered = (o) => (o.unanswered > 0 ? ` (${fmt(o.unanswered)} unanswered)` : '');
      lines.push(`| ${c.hub.replace('hub-', '')} | ${fmt(r.offered)} | ${fmt(hub.achieved)}${unanswered(hub)} | ${fmt(base.achieved)}${unanswered(base)} | ${fmt(hub.p50)} / ${fmt(hub.p90)} / ${fmt(hub.p99)} | ${fmt(base.p50)} / ${fmt(base.p90)} / ${fmt(base.p99)} | ${ratioText(r.p99Ratio)} |`);
    }
  }
  return lines.join('\n');
}

if (before !== undefined) console.log(`${tables(before, 'Before')}\n`);
console.log(tables(after, before === undefined ? 'Results' : 'After'));
if (svgFile !== undefined) {
  writeFileSync(svgFile, intakeChart(after));
  console.log(`\nchart written to ${svgFile}`);
}
