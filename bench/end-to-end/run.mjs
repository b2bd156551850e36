#!/usr/bin/env node
// bench/end-to-end — Linear issues → incidents at PagerDuty through the whole hub (issue 13 item 2,
// SPEC §5). See docs/benchmarks.md "End to end".
//
//   npm run build:server && node bench/end-to-end/run.mjs [--rate 100] [--seconds 9.5]
//     [--pace-limit 120] [--pace-seconds 60] [--only latency|pacing] [--quick] [--json file]
//     [--cpu-prof dir]
//
// The PagerDuty and Linear stand-ins run in a process of their own (bench/chaos/stand-ins.mjs),
// the built hub as a child (`node bin/integration-hub.js start`, SQLite, talking to the stand-ins
// as if they were the vendors). Set-up through the hub's API as an admin does it
// (bench/chaos/hub-api.mjs): both connections, the ENG team webhook, a rule paging every Urgent
// and High ENG issue in Todo to Checkout API. Then two phases:
//
// 1. Latency: rate limits lifted, issues that page are created at --rate a second (open loop)
//    for --seconds. Per issue: from the hub's receipt of Linear's `Issue.create` delivery
//    (webhook_deliveries.received_at, hub clock: set after the signature check, before the
//    write) to the arrival of the hub's `POST /incidents` at the PagerDuty stand-in (its request
//    log `at`, sandbox clock = real time, checked) — the time the stand-in takes to answer is not
//    in it. p50/p90/p99/max, incidents created a second while the load ran, time to drain, and
//    the CPU the hub and the stand-ins used (/proc). Target p99 ≤ 50 ms.
// 2. Pacing: once the latency run's work has drained and its rate-limit window has ended, the
//    PagerDuty stand-in's limit is lowered (--pace-limit calls a minute) and issues that page are
//    created at 1.25× that rate for --pace-seconds; the run waits (up to 3 min) until every one
//    has its incident. Reported per rate-limit window of the hub's bucket (reconstructed from the
//    stand-in's request log the way the stand-in counts: a window starts at the first call after
//    the last one ended): calls, incident creates, other calls, 429s. A complete window
//    with more work available (issues waiting at its start or offered during it) than its budget
//    allows was bound by the limit: its calls and creates against the limit are
//    the pacing figures (target: within 5 % of the limit, zero 429). Every incident costs the hub
//    one call in the bucket, the create (the incident.triggered webhook that comes back is not
//    read back: the link already shows it triggered), so creates can reach the limit.
//
// Each phase has a rule of its own: a rule's safety valve allows at most 1,000 incidents an hour.
// --quick (CI, under a minute): a 3 s latency run, and a pacing run of 12 s inside the current
// window, its limit set to the calls that window has used + --pace-limit (30): it shows that the
// hub slows down without a 429, not a window's rate.
// --cpu-prof dir: the hub runs with `node --cpu-prof` and writes its profile there on exit.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForDrain } from '../chaos/checks.mjs';
import { freshDatabase } from '../chaos/databases.mjs';
import { setUpSync } from '../chaos/hub-api.mjs';
import { BIN, freePort, sleep, spawnNode, standInVendorEnv, startStandIns, stopChildrenOnSignal, stopGracefully, waitForOk } from '../chaos/processes.mjs';
import { CHECKOUT_SERVICE, ENG_TEAM, vendors } from '../chaos/vendors.mjs';
import { percentile } from '../intake/load.mjs';
import { parseArgs, printRunInfo, runInfo } from '../run-info.mjs';

const ADMIN = { email: 'bench@acme.test', password: 'end to end bench password' };
const WINDOW_MS = 60_000;
/** The hub's API calls carry its OAuth access token (the bench's own carry Acme's API key, or none). */
const byHub = (request) => String(request.headers.authorization ?? '').startsWith('Bearer ');

stopChildrenOnSignal();

const args = parseArgs(process.argv.slice(2));
const quick = args.quick === true;
/** --only latency | pacing: one phase. */
const only = args.only;
if (only !== undefined && only !== 'latency' && only !== 'pacing') throw new Error('--only takes latency or pacing');
const settings = {
  rate: Number(args.rate ?? 100),
  seconds: Number(args.seconds ?? (quick ? 3 : 9.5)),
  paceLimit: Number(args['pace-limit'] ?? (quick ? 30 : 120)),
  paceSeconds: Number(args['pace-seconds'] ?? (quick ? 12 : 60)),
};
// Incidents offered at 1.25× the limit a minute: each costs one call, so the first window is
// bound by the limit and the backlog drains in the next. Quick: 1.5× the budget left in the
// window, in all.
const paceIssues = Math.ceil(quick ? settings.paceLimit * 1.5 : (1.25 * settings.paceLimit * settings.paceSeconds) / 60);
const latencyIssues = Math.round(settings.rate * settings.seconds);
for (const [what, count] of [['--rate × --seconds', latencyIssues], ['the pacing run', paceIssues]]) {
  if (!(count > 0 && count <= 1000)) throw new Error(`${what} asks for ${count} incidents; a rule's safety valve allows 1 to 1,000 an hour`);
}

const pkgVersion = (name) => JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
const cpus = os.cpus();
const info = runInfo({
  cpu: `${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
  packages: `fastify ${pkgVersion('fastify')}, better-sqlite3 ${pkgVersion('better-sqlite3')}, kysely ${pkgVersion('kysely')}, undici (Node's fetch) ${process.versions.undici ?? '?'}`,
  settings: `latency: ${settings.rate}/s for ${settings.seconds} s (${latencyIssues} issues); pacing: limit ${settings.paceLimit}/min, ${paceIssues} issues over ${settings.paceSeconds} s${quick ? ' (quick)' : ''}`,
});
printRunInfo(info);
const log = (line) => process.stdout.write(`${line}\n`);

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime (fields 14 and 15 of stat(5)), in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

const round = (value, digits = 1) => (value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits);
function distribution(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null),
  };
}

/** Creates `count` issues that page, `rate` a second on a fixed schedule (open loop); resolves with them once all are answered. */
async function offerIssues(vendorsApi, { count, rate, label }) {
  const started = performance.now();
  const pending = [];
  const failures = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const sentAt = Date.now();
    pending.push(
      vendorsApi.createIssue(`${label} ${i + 1}`, i % 2 === 0 ? 1 : 2).then(
        (issue) => ({ ...issue, sentAt, answeredAt: Date.now() }),
        (error) => {
          failures.push(String(error.message ?? error));
          return undefined;
        },
      ),
    );
  }
  const offeredMs = performance.now() - started;
  const issues = (await Promise.all(pending)).filter((issue) => issue !== undefined);
  return { issues, failures, offeredMs };
}

async function standInRequests(baseUrl, query) {
  const response = await fetch(`${baseUrl}/_sandbox/requests?${new URLSearchParams(query)}`);
  if (!response.ok) throw new Error(`GET /_sandbox/requests answered ${response.status}`);
  return (await response.json()).requests;
}

const identifierOf = (request) => /^\[([A-Z]+-\d+)\]/.exec(request.body?.incident?.title ?? '')?.[1];

/** Waits until every issue has a `POST /incidents` answered 201 (or the time is up); returns the creates seen. */
async function waitForIncidents(pagerdutyUrl, issues, since, timeoutMs) {
  const wanted = new Set(issues.map((issue) => issue.identifier));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const creates = (await standInRequests(pagerdutyUrl, { method: 'POST', pathPrefix: '/incidents', since: String(since) }))
      .filter((request) => request.path === '/incidents' && byHub(request));
    const done = new Set(creates.filter((request) => request.status === 201).map(identifierOf));
    const missing = [...wanted].filter((identifier) => !done.has(identifier)).length;
    if (missing === 0 || Date.now() > deadline) return { creates, missing };
    await sleep(500);
  }
}

/**
 * The hub's rate-limit windows as the stand-in counts them (sandbox/pagerduty/rate-limit.ts): a
 * window starts at the first call at or after the end of the previous one and lasts a minute.
 */
function windowsOf(hubCalls) {
  const windows = [];
  for (const call of [...hubCalls].sort((a, b) => a.at - b.at)) {
    let current = windows.at(-1);
    if (current === undefined || call.at >= current.start + WINDOW_MS) {
      current = { start: call.at, calls: [] };
      windows.push(current);
    }
    current.calls.push(call);
  }
  return windows;
}

/** `{ 'GET /incidents/{id}': 3, … }`: calls by method and path, ids folded. */
function kindsOf(calls) {
  const kinds = {};
  for (const call of calls) {
    const key = `${call.method} ${call.path.replace(/\/[A-Z0-9]{7,}(?=\/|$)/g, '/{id}')}`;
    kinds[key] = (kinds[key] ?? 0) + 1;
  }
  return kinds;
}

async function setStandIns(vendorsApi, pagerdutySettings) {
  const response = await fetch(`${vendorsApi.pagerdutyUrl}/_sandbox/settings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(pagerdutySettings),
  });
  if (!response.ok) throw new Error(`PagerDuty settings answered ${response.status}`);
}

async function newRule(session, name) {
  const rule = await session.expect(201, 'POST', '/api/rules', {
    name,
    filters: { teamId: ENG_TEAM, priorities: [1, 2], statusTypes: ['unstarted', 'started'] },
    routing: { serviceId: CHECKOUT_SERVICE, urgency: 'from_priority' },
    incidentsPerHour: 1000,
  });
  return rule.body.rule.id;
}

async function pacingPhase({ vendorsApi, reader, session, previousRuleId }) {
  const { pagerdutyUrl } = vendorsApi;
  // What the latency run set off (PagerDuty's incident webhooks, Linear's echoes) is done first.
  const drained = await waitForDrain(reader, vendorsApi, 120_000);
  if (drained.timedOut) log(`pacing: the latency run's work had not drained after 120 s (${drained.jobs} jobs left); going on`);
  // Its own rule (created at set-up, after the latency run's, so it matched nothing yet): the
  // latency run's rule has used most of its 1,000 incidents an hour. That one is turned off.
  await session.expect(200, 'POST', `/api/rules/${previousRuleId}/disable`, {});
  // Start on a fresh window of the hub's bucket, so the latency run's calls are not counted
  // against it. A quick run cannot wait up to a minute: it lowers the limit to what the current
  // window has used plus --pace-limit, which shows the pacing and the 429s but not a window's rate.
  let hubCalls = (await standInRequests(pagerdutyUrl, {})).filter(byHub);
  const current = windowsOf(hubCalls).at(-1);
  let limit = settings.paceLimit;
  const waitMs = current === undefined ? 0 : current.start + WINDOW_MS - Date.now() + 250;
  if (quick && waitMs > 5000) {
    limit = current.calls.length + settings.paceLimit;
  } else if (waitMs > 0) {
    log(`pacing: waiting ${(waitMs / 1000).toFixed(1)} s for the latency run's rate-limit window to end`);
    await sleep(waitMs);
  }
  await setStandIns(vendorsApi, { rateLimitPerMinute: limit });
  const since = Date.now();
  log(`pacing: PagerDuty stand-in limit set to ${limit} calls a minute; offering ${paceIssues} issues that page over ${settings.paceSeconds} s`);
  const offered = await offerIssues(vendorsApi, { count: paceIssues, rate: paceIssues / settings.paceSeconds, label: 'Pacing' });
  // Full run: until every issue is paged (the backlog drains one window at a time); quick: a short look.
  const waited = await waitForIncidents(pagerdutyUrl, offered.issues, since, quick ? 1000 : 3 * WINDOW_MS);
  const endedAt = Date.now();
  hubCalls = (await standInRequests(pagerdutyUrl, {})).filter(byHub);
  const isCreate = (call) => call.method === 'POST' && call.path === '/incidents' && call.status === 201;
  const phaseCalls = hubCalls.filter((call) => call.at >= since);
  // What one incident costs in the bucket (the create; anything else the hub calls besides).
  const callsPerIncident = phaseCalls.length / Math.max(1, phaseCalls.filter(isCreate).length);
  const createdBefore = (at) => phaseCalls.filter((call) => isCreate(call) && call.at < at).length;
  const offeredBefore = (at) => offered.issues.filter((issue) => issue.sentAt < at).length;
  const windows = windowsOf(hubCalls)
    .filter((window) => window.start + WINDOW_MS > since)
    .map((window, index) => {
      const end = window.start + WINDOW_MS;
      const complete = end <= endedAt;
      // Work there was for this window: issues waiting at its start plus those offered during it.
      const available = offeredBefore(end) - createdBefore(window.start);
      return {
        window: index + 1,
        startsAfterS: round((window.start - since) / 1000),
        complete,
        calls: window.calls.length,
        creates: window.calls.filter(isCreate).length,
        otherCalls: window.calls.filter((call) => !(call.method === 'POST' && call.path === '/incidents')).length,
        otherCallKinds: kindsOf(window.calls.filter((call) => !(call.method === 'POST' && call.path === '/incidents'))),
        status429: window.calls.filter((call) => call.status === 429).length,
        waitingAtStart: offeredBefore(window.start) - createdBefore(window.start),
        waitingAtEnd: offeredBefore(end) - createdBefore(end),
        // Bound by the limit: a whole window with more work available than its budget allows.
        limitBound: complete && available * callsPerIncident >= limit,
      };
    });
  const bound = windows.filter((window) => window.limitBound);
  const result = {
    limitPerMinute: limit,
    partialWindow: limit !== settings.paceLimit,
    issuesOffered: offered.issues.length,
    offerFailures: offered.failures.length,
    offeredPerMinute: round((offered.issues.length / offered.offeredMs) * 60_000),
    incidentsCreated: new Set(waited.creates.filter((call) => call.status === 201).map(identifierOf)).size,
    stillWaiting: waited.missing,
    status429: phaseCalls.filter((call) => call.status === 429).length,
    callsPerIncident: round(callsPerIncident, 2),
    windows,
    // The figure: creates (and calls) a minute in windows bound by the limit, against the limit.
    createsPerBoundWindow: bound.length === 0 ? null : round(bound.reduce((sum, window) => sum + window.creates, 0) / bound.length),
    callsPerBoundWindow: bound.length === 0 ? null : round(bound.reduce((sum, window) => sum + window.calls, 0) / bound.length),
  };
  result.createsVsLimit = result.createsPerBoundWindow === null ? null : round(result.createsPerBoundWindow / limit, 3);
  result.callsVsLimit = result.callsPerBoundWindow === null ? null : round(result.callsPerBoundWindow / limit, 3);
  return result;
}

async function latencyPhase({ vendorsApi, reader, hubPid, standInsPid }) {
  const { pagerdutyUrl, linearUrl } = vendorsApi;
  const clock = await (await fetch(`${pagerdutyUrl}/_sandbox/clock`)).json();
  if (clock.offsetMs !== 0) throw new Error(`the stand-ins' clock is ${clock.offsetMs} ms off real time; latencies would be wrong`);
  const since = Date.now();
  const cpuBefore = { hub: cpuSeconds(hubPid), standIns: cpuSeconds(standInsPid) };
  log(`latency: offering ${latencyIssues} issues that page, ${settings.rate} a second (open loop) for ${settings.seconds} s`);
  const offered = await offerIssues(vendorsApi, { count: latencyIssues, rate: settings.rate, label: 'Latency' });
  const loadEndedAt = Date.now();
  const cpuDuring = { hub: cpuSeconds(hubPid), standIns: cpuSeconds(standInsPid) };
  const waited = await waitForIncidents(pagerdutyUrl, offered.issues, since, quick ? 45_000 : 120_000);
  const cpuAfter = { hub: cpuSeconds(hubPid), standIns: cpuSeconds(standInsPid) };

  const wanted = new Map(offered.issues.map((issue) => [issue.identifier, issue]));
  const firstCall = new Map();
  for (const call of waited.creates) {
    const identifier = identifierOf(call);
    if (!wanted.has(identifier)) continue;
    if (!firstCall.has(identifier) || call.at < firstCall.get(identifier).at) firstCall.set(identifier, call);
  }
  const ids = offered.issues.map((issue) => issue.id);
  const received = new Map();
  for (let at = 0; at < ids.length; at += 500) {
    const rows = await reader.db
      .selectFrom('webhook_deliveries')
      .select(['entity_id', 'received_at'])
      .where('provider', '=', 'linear')
      .where('event_type', '=', 'Issue.create')
      .where('entity_id', 'in', ids.slice(at, at + 500))
      .execute();
    for (const row of rows) received.set(row.entity_id, Math.min(received.get(row.entity_id) ?? Infinity, Number(row.received_at)));
  }
  const latencies = [];
  const deliveryLag = [];
  for (const issue of offered.issues) {
    const receivedAt = received.get(issue.id);
    if (receivedAt !== undefined) deliveryLag.push(receivedAt - issue.sentAt);
    const call = firstCall.get(issue.identifier);
    if (receivedAt !== undefined && call !== undefined) latencies.push(call.at - receivedAt);
  }
  const created = waited.creates.filter((call) => call.status === 201 && wanted.has(identifierOf(call))).sort((a, b) => a.at - b.at);
  const duringLoad = created.filter((call) => call.at <= loadEndedAt).length;
  const loadSeconds = (loadEndedAt - since) / 1000;
  const lastCreate = created.at(-1)?.at;
  const busy = (from, to, key) => (from[key] === undefined || to[key] === undefined ? null : round(to[key] - from[key], 2));
  const rows = await reader.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll().as('n')).where('received_at', '>=', since).executeTakeFirstOrThrow();
  return {
    offeredPerSecond: round(offered.issues.length / (offered.offeredMs / 1000)),
    issuesOffered: offered.issues.length,
    offerFailures: offered.failures.length,
    issueCreateMs: distribution(offered.issues.map((issue) => issue.answeredAt - issue.sentAt)),
    deliveriesReceived: received.size,
    deliveriesStoredDuringRun: Number(rows.n),
    incidentsCreated: created.length,
    stillWaiting: waited.missing,
    status429: waited.creates.filter((call) => call.status === 429).length,
    webhookToFirstCallMs: distribution(latencies),
    createdToReceivedMs: distribution(deliveryLag),
    incidentsPerSecondDuringLoad: round(duringLoad / loadSeconds),
    incidentsPerSecondOverall: lastCreate === undefined ? null : round(created.length / ((lastCreate - since) / 1000)),
    drainSeconds: lastCreate === undefined ? null : round(Math.max(0, lastCreate - loadEndedAt) / 1000, 2),
    cpuSecondsDuringLoad: { hub: busy(cpuBefore, cpuDuring, 'hub'), standIns: busy(cpuBefore, cpuDuring, 'standIns'), wallSeconds: round(loadSeconds, 2) },
    cpuSecondsDrain: { hub: busy(cpuDuring, cpuAfter, 'hub'), standIns: busy(cpuDuring, cpuAfter, 'standIns') },
    linearReadsByHub: (await standInRequests(linearUrl, { method: 'POST', pathPrefix: '/graphql', since: String(since) })).filter((call) => call.headers.authorization?.startsWith('Bearer')).length,
  };
}

function printLatency(l) {
  const ms = (d) => `${d.p50} / ${d.p90} / ${d.p99} / ${d.max}`;
  log('');
  log(`## latency: webhook received → POST /incidents arrives at the PagerDuty stand-in (${l.offeredPerSecond} issues/s offered, ${l.issuesOffered} issues)`);
  log('| | p50 / p90 / p99 / max ms | n |');
  log('|---|---|---|');
  log(`| **hub: delivery received → first POST /incidents** | **${ms(l.webhookToFirstCallMs)}** | ${l.webhookToFirstCallMs.count} |`);
  log(`| Linear stand-in: issueCreate sent → hub received the delivery | ${ms(l.createdToReceivedMs)} | ${l.createdToReceivedMs.count} |`);
  log(`| issueCreate answered (the load generator's view) | ${ms(l.issueCreateMs)} | ${l.issueCreateMs.count} |`);
  log('');
  log(`incidents created: ${l.incidentsCreated} of ${l.issuesOffered}; ${l.incidentsPerSecondDuringLoad}/s while the load ran, ${l.incidentsPerSecondOverall}/s first issue to last incident; drain after the load ${l.drainSeconds} s; 429s ${l.status429}; still waiting ${l.stillWaiting}`);
  log(`hub deliveries stored during the run: ${l.deliveriesStoredDuringRun} (Linear and PagerDuty webhooks); hub's Linear GraphQL calls: ${l.linearReadsByHub}`);
  log(`CPU seconds while the load ran (${l.cpuSecondsDuringLoad.wallSeconds} s): hub ${l.cpuSecondsDuringLoad.hub}, stand-ins ${l.cpuSecondsDuringLoad.standIns}; during the drain: hub ${l.cpuSecondsDrain.hub}, stand-ins ${l.cpuSecondsDrain.standIns}`);
  log(`target p99 ≤ 50 ms: ${l.webhookToFirstCallMs.p99 !== null && l.webhookToFirstCallMs.p99 <= 50 ? 'met' : 'NOT met'}`);
  log('');
}

function printPacing(p) {
  log(`## pacing: PagerDuty stand-in limited to ${p.limitPerMinute} calls a minute${p.partialWindow ? ` (quick: the calls the current window had already used + ${settings.paceLimit})` : ''}, ${p.issuesOffered} issues offered (${p.offeredPerMinute}/min)`);
  log('| window | starts after, s | complete | bound by the limit | hub calls | incident creates | other calls | 429 | issues waiting at its start / end |');
  log('|---|---|---|---|---|---|---|---|---|');
  for (const w of p.windows) log(`| ${w.window} | ${w.startsAfterS} | ${w.complete ? 'yes' : 'no'} | ${w.limitBound ? 'yes' : 'no'} | ${w.calls} | ${w.creates} | ${w.otherCalls} | ${w.status429} | ${w.waitingAtStart} / ${w.waitingAtEnd} |`);
  for (const w of p.windows) if (w.otherCalls > 0) log(`other calls in window ${w.window}: ${Object.entries(w.otherCallKinds).map(([kind, n]) => `${kind} × ${n}`).join(', ')}`);
  log('');
  if (p.callsPerBoundWindow === null) log(`no complete window bound by the limit${quick ? ' (a quick run is shorter than a window)' : ''}`);
  else log(`per complete window bound by the limit: hub calls ${p.callsPerBoundWindow} = ${(p.callsVsLimit * 100).toFixed(1)} % of the limit (target: within 5 %), of them incident creates ${p.createsPerBoundWindow} = ${(p.createsVsLimit * 100).toFixed(1)} % (calls per incident: ${p.callsPerIncident})`);
  log(`429s answered by the stand-in during the pacing run: ${p.status429} (target 0); incidents created ${p.incidentsCreated} of ${p.issuesOffered}, still waiting ${p.stillWaiting}`);
}

const cleanups = [];
let exitCode = 0;
try {
  const database = await freshDatabase('sqlite');
  cleanups.unshift(async () => database.drop());
  const hubPort = await freePort();
  const { proc: standIns, pagerdutyUrl, linearUrl, summaryUrl } = await startStandIns(cleanups);
  const vendorsApi = vendors({ pagerdutyUrl, linearUrl, summaryUrl });
  // Linear's 1,200 requests an hour per OAuth token would bound the hub's issue reads, and
  // PagerDuty's 960 a minute the latency run: both lifted (the pacing run lowers PagerDuty's).
  await vendorsApi.liftRateLimits();
  log('stand-ins: Linear rate limits lifted (10,000,000 requests an hour per token), PagerDuty 10,000,000 calls a minute except during the pacing run');
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  await vendorsApi.registerCallbacks(hubUrl);
  const dataDir = path.join(os.tmpdir(), `hub-e2e-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const env = {
    PORT: String(hubPort),
    HOST: '127.0.0.1',
    PUBLIC_URL: hubUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    HUB_ADMIN_EMAIL: ADMIN.email,
    HUB_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    CONNECTION_CHECK_INTERVAL_SECONDS: '0',
    ...standInVendorEnv(pagerdutyUrl, linearUrl),
    ...(process.env.WORKER_CONCURRENCY !== undefined ? { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY } : {}),
  };
  const nodeArgs = args['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', path.resolve(args['cpu-prof'])];
  const hub = spawnNode([BIN, 'start'], env, { nodeArgs });
  cleanups.unshift(async () => stopGracefully(hub));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const readyAt = await waitForOk(`${hubUrl}/readyz`, hub, 60_000);
  const { session, ruleId } = await setUpSync(hubUrl, ADMIN, vendorsApi);
  // The pacing run's rule, after the first in evaluation order: it pages nothing until that one is off.
  await newRule(session, 'End to end: pacing');
  const reader = await database.open();
  cleanups.unshift(async () => reader.close());
  const sqlite = await database.version(reader);
  log(`hub ready in ${Math.round(readyAt - hub.startedAt)} ms (${sqlite}); connections, ENG team webhook and rule set up\n`);

  const latency = only !== 'pacing' ? await latencyPhase({ vendorsApi, reader, hubPid: hub.child.pid, standInsPid: standIns.child.pid }) : undefined;
  const pacing = only !== 'latency' ? await pacingPhase({ vendorsApi, reader, session, previousRuleId: ruleId }) : undefined;
  const errorLines = hub.output().split('\n').filter((line) => /"level":(50|60)/.test(line));

  if (latency !== undefined) printLatency(latency);
  if (pacing !== undefined) printPacing(pacing);
  log(`hub log lines at level error: ${errorLines.length}`);
  for (const line of errorLines.slice(0, 5)) log(`  ${line.slice(0, 300)}`);

  if (args.json !== undefined) writeFileSync(args.json, `${JSON.stringify({ info, settings, sqlite, latency, pacing, hubErrorLines: errorLines.length }, null, 2)}\n`);
  if (latency?.webhookToFirstCallMs.count === 0 || pacing?.incidentsCreated === 0) {
    log('\nend-to-end: FAILED (no incident measured)');
    exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`end-to-end: the run failed: ${error.stack ?? error}\n`);
  exitCode = 1;
} finally {
  for (const cleanup of cleanups) await cleanup().catch((error) => log(`cleanup: ${error.message}`));
}
process.exit(exitCode);
