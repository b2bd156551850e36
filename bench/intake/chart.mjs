// A dependency-free SVG of bench/intake's results: throughput bars (hub vs its baseline, per
// database) and p99 latency at each offered rate.
const esc = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const COLORS = { hub: '#2563eb', baseline: '#9ca3af' };

function bars(x0, y0, width, height, title, groups, unit, log = false) {
  // groups: [{label, hub, baseline}]
  const max = Math.max(1, ...groups.flatMap((g) => [g.hub ?? 0, g.baseline ?? 0]));
  const scale = (v) => (log ? (Math.log10(Math.max(1, v)) / Math.log10(Math.max(10, max))) : v / max) * (height - 40);
  const parts = [`<text x="${x0}" y="${y0 - 8}" font-size="13" font-weight="bold">${esc(title)}</text>`];
  parts.push(`<line x1="${x0}" y1="${y0 + height - 20}" x2="${x0 + width}" y2="${y0 + height - 20}" stroke="#333"/>`);
  const slot = width / Math.max(1, groups.length);
  groups.forEach((g, i) => {
    const cx = x0 + slot * i + slot / 2;
    for (const [k, v, dx] of [['hub', g.hub, -22], ['baseline', g.baseline, 2]]) {
      if (v === null || v === undefined) continue;
      const h = scale(v);
      const y = y0 + height - 20 - h;
      parts.push(`<rect x="${cx + dx}" y="${y}" width="20" height="${h}" fill="${COLORS[k]}"/>`);
      parts.push(`<text x="${cx + dx + 10}" y="${y - 3}" font-size="9" text-anchor="middle">${esc(Math.round(v))}</text>`);
    }
    parts.push(`<text x="${cx}" y="${y0 + height - 6}" font-size="10" text-anchor="middle">${esc(g.label)}</text>`);
  });
  parts.push(`<text x="${x0 + width}" y="${y0 - 8}" font-size="10" text-anchor="end" fill="#555">${esc(unit)}${log ? ' (log scale)' : ''}</text>`);
  return parts.join('\n');
}

export function intakeChart({ environment, results, comparisons }) {
  const byName = new Map(results.map((r) => [r.name, r]));
  const label = (name) => name.replace(/^hub-/, '').replace('sqlite-normal', 'SQLite NORMAL').replace('sqlite-full', 'SQLite FULL').replace('postgres', 'PostgreSQL');
  const throughput = comparisons.map((c) => ({ label: `${label(c.hub)} (${c.throughputRatio}×)`, hub: byName.get(c.hub).throughput.throughput, baseline: byName.get(c.baseline).throughput.throughput }));
  const latency = comparisons.flatMap((c) => c.rates.map((r) => ({ label: `${label(c.hub)} @${r.offered}/s`, hub: r.hubP99, baseline: r.baseP99 })));
  const width = Math.max(640, 90 * latency.length + 80);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="560" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="20" y="24" font-size="15" font-weight="bold">Webhook intake: hub vs baseline (HMAC + one INSERT)</text>`,
    `<text x="20" y="42" font-size="10" fill="#555">${esc(`${environment.cpu}, ${environment.cores} cores; Node ${environment.node}, SQLite ${environment.sqlite}, PostgreSQL ${environment.postgres}; ${environment.date.slice(0, 10)}`)}</text>`,
    `<rect x="${width - 190}" y="12" width="12" height="12" fill="${COLORS.hub}"/><text x="${width - 172}" y="22" font-size="11">hub</text>`,
    `<rect x="${width - 130}" y="12" width="12" height="12" fill="${COLORS.baseline}"/><text x="${width - 112}" y="22" font-size="11">baseline</text>`,
    bars(40, 80, width - 80, 200, `Throughput, ${environment.settings.connections} connections (ratio hub/baseline)`, throughput, 'req/s'),
    bars(40, 330, width - 80, 210, 'p99 latency at fixed offered rates', latency, 'ms', true),
    '</svg>',
  ];
  return `${svg.join('\n')}\n`;
}
