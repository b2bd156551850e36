#!/usr/bin/env node
// bench/chaos — nothing acknowledged is lost and nothing is done twice while the hub is killed
// with SIGKILL again and again (issue 13 item 4, SPEC §5). See docs/benchmarks.md "Chaos".
//
//   npm run build:server && node bench/chaos/run.mjs [--dialects sqlite,postgres] [--kills 20]
//     [--issues 120] [--up-ms 300-3000] [--boot-kills 0.15] [--first-start-kills 2] [--drain-s 240]
//     [--seed N]
//     [--quick] [--json file]
//
// For each database: the PagerDuty and Linear stand-ins in their own process (stand-ins.mjs), the
// built hub as a child process (`node bin/integration-hub.js start`, talking to the stand-ins as
// if they were the vendors), two-way sync set up (both connections, a team webhook, a rule).
// Then people act at the vendors in bursts — issues created (some that page, some that do not),
// raised to Urgent, retitled, commented; incidents acknowledged, notes added — while the hub is killed
// --kills times at random moments (some of them while it is still starting) and restarted each
// time. Before that, its very first start on the empty database is killed part-way too
// (--first-start-kills: migrations, master key, bootstrap admin). Then everything drains and the script checks, from the stand-ins' delivery logs, the
// vendors' state and the hub's database: every delivery answered 2xx is stored once and
// processed by one job that succeeded; no job is dead; every issue that pages has exactly one
// incident and the others none; every comment became exactly one note and every note exactly
// one comment; every acknowledged incident's issue is In Progress. Prints the counts; exits 1 on
// any violation.
// PostgreSQL: BENCH_PG_URL or TEST_DATABASE_URL (a database of its own is created and dropped).
import { writeFileSync } from 'node:fs';
import { parseArgs, printRunInfo, runInfo } from '../run-info.mjs';
import { runChaos } from './chaos.mjs';
import { postgresUrl } from './databases.mjs';
import { stopChildrenOnSignal } from './processes.mjs';

stopChildrenOnSignal();

const args = parseArgs(process.argv.slice(2));
const quick = args.quick === true;
const dialects = (args.dialects ?? (postgresUrl() !== undefined ? 'sqlite,postgres' : 'sqlite')).split(',');
const [upMin, upMax] = (args['up-ms'] ?? (quick ? '300-1500' : '300-3000')).split('-').map(Number);
const options = {
  kills: Number(args.kills ?? (quick ? 4 : 20)),
  maxIssues: Number(args.issues ?? (quick ? 16 : 120)),
  upMs: [upMin, upMax],
  bootKillChance: Number(args['boot-kills'] ?? 0.15),
  firstStartKills: Number(args['first-start-kills'] ?? (quick ? 1 : 2)),
  drainTimeoutMs: Number(args['drain-s'] ?? (quick ? 120 : 240)) * 1000,
  seed: Number(args.seed ?? Date.now() % 1_000_000),
  log: (line) => process.stdout.write(`${line}\n`),
};

const info = runInfo({ seed: options.seed, settings: `kills ${options.kills} (+ ${options.firstStartKills} of the first start), up to ${options.maxIssues} issues, hub up ${upMin}–${upMax} ms between kills, ${options.bootKillChance * 100}% of kills during start-up` });
printRunInfo(info);
if (dialects.includes('postgres') && postgresUrl() === undefined) {
  process.stderr.write('PostgreSQL asked for but BENCH_PG_URL / TEST_DATABASE_URL is not set\n');
  process.exit(2);
}

const results = [];
for (const dialect of dialects) {
  try {
    results.push(await runChaos({ ...options, dialect }));
  } catch (error) {
    results.push({ dialect, violations: [`the run itself failed: ${error.stack ?? error}`] });
  }
}

const rows = [
  ['database', (r) => r.database],
  ['kills (SIGKILL) / of them during start-up', (r) => `${r.killedBySigkill} / ${r.killedDuringBoot}`],
  ['first start on the empty database killed part-way', (r) => r.killedDuringFirstStart],
  ['restart → ready, median ms', (r) => r.readyMsMedian],
  ['burst / drain, s', (r) => `${r.burstSeconds} / ${r.drainSeconds}`],
  ['vendor actions (issues, comments, notes, …)', (r) => r.vendorActions],
  ['webhook attempts sent by the stand-ins', (r) => r.sent],
  ['distinct deliveries', (r) => r.deliveries],
  ['answered 2xx', (r) => r.answered2xx],
  ['stored exactly once', (r) => r.stored],
  ['processed exactly once (one job, succeeded)', (r) => r.processed],
  ['stored, never answered 2xx (killed before answering)', (r) => r.storedWithoutAck],
  ['duplicate copies absorbed', (r) => r.duplicatesAbsorbed],
  ['jobs run more than once (lease expired after a kill)', (r) => r.jobsRunMoreThanOnce],
  ['issues / that page', (r) => `${r.issues} / ${r.issuesThatPage}`],
  ['incidents per issue: 0 / 1 / more', (r) => r.incidentsPerIssue && `${r.incidentsPerIssue[0]} / ${r.incidentsPerIssue[1]} / ${r.incidentsPerIssue.more}`],
  ['comments → exactly one note', (r) => `${r.commentsMirrored} of ${r.comments}`],
  ['notes → exactly one comment', (r) => `${r.notesMirrored} of ${r.notes}`],
  ['incidents acknowledged → issue In Progress', (r) => `${r.acknowledgedMoved} of ${r.acknowledged}`],
  ['hub log lines at level error', (r) => r.hubErrorLines && Object.values(r.hubErrorLines).reduce((a, b) => a + b, 0)],
  ['violations', (r) => r.violations.length],
];
process.stdout.write(`\n| | ${results.map((r) => r.dialect).join(' | ')} |\n|---|${results.map(() => '---').join('|')}|\n`);
for (const [label, value] of rows) process.stdout.write(`| ${label} | ${results.map((r) => String(value(r) ?? '—')).join(' | ')} |\n`);
for (const result of results) {
  for (const [message, count] of Object.entries(result.hubErrorLines ?? {})) process.stdout.write(`hub error log [${result.dialect}] ${count} × ${message}\n`);
  for (const violation of result.violations.slice(0, 50)) process.stdout.write(`VIOLATION [${result.dialect}] ${violation}\n`);
  if (result.violations.length > 50) process.stdout.write(`… and ${result.violations.length - 50} more [${result.dialect}]\n`);
}
if (args.json !== undefined) writeFileSync(args.json, JSON.stringify({ info, results }, null, 2));
const failed = results.some((result) => result.violations.length > 0);
process.stdout.write(failed ? '\nchaos: FAILED\n' : '\nchaos: every check passed\n');
process.exit(failed ? 1 : 0);
