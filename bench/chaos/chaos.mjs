// One chaos run on one database: the stand-ins in their own process, the built hub
// (`node bin/integration-hub.js start`) as a child, two-way sync set up through the API, then
// bursts of vendor activity while the hub is killed with SIGKILL `kills` times at random moments
// (and started again each time), then a drain and the checks (checks.mjs).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkRun, waitForDrain } from './checks.mjs';
import { freshDatabase } from './databases.mjs';
import { setUpSync } from './hub-api.mjs';
import { BIN, freePort, killHard, sleep, spawnNode, standInVendorEnv, startStandIns, stopGracefully, waitForOk } from './processes.mjs';
import { randomSource, startTraffic } from './traffic.mjs';
import { vendors } from './vendors.mjs';

const ADMIN = { email: 'chaos@acme.test', password: 'killed and started again' };

/**
 * Options: dialect ('sqlite' | 'postgres'), kills, maxIssues, upMs ([min, max] a hub lives after
 * it is ready before the next kill), bootKillChance (share of kills that hit a hub still
 * starting), firstStartKills (kills of the very first start, on the empty database, before the
 * one let through), drainTimeoutMs, seed, log(line).
 */
export async function runChaos(options) {
  const { dialect, kills, firstStartKills = 0, maxIssues, upMs, bootKillChance, drainTimeoutMs, seed, log } = options;
  const random = randomSource(seed);
  const marker = `chaos-${randomBytes(3).toString('hex')}`;
  const database = await freshDatabase(dialect);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-chaos-data-'));
  const cleanups = [async () => database.drop(), async () => rmSync(dataDir, { recursive: true, force: true })];
  try {
    const hubPort = await freePort();
    const { proc: standIns, pagerdutyUrl, linearUrl, summaryUrl } = await startStandIns(cleanups);
    await waitForOk(`${summaryUrl}/deliveries/linear`, standIns);
    const vendorsApi = vendors({ pagerdutyUrl, linearUrl, summaryUrl });
    await vendorsApi.liftRateLimits();
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    await vendorsApi.registerCallbacks(hubUrl);

    const env = {
      PORT: String(hubPort),
      HOST: '127.0.0.1',
      PUBLIC_URL: hubUrl,
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      HUB_MASTER_KEY: randomBytes(32).toString('base64'),
      HUB_ADMIN_EMAIL: ADMIN.email,
      HUB_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      CONNECTION_CHECK_INTERVAL_SECONDS: '0',
      ...standInVendorEnv(pagerdutyUrl, linearUrl),
    };
    const readyTimes = [];
    const exits = [];
    let hub;
    // Error lines the hub logged (pino levels 50 and 60), across every process: reported, not judged
    // (a request cut off by a kill may be logged by the next process as an error and be harmless).
    const errorLines = new Map();
    let partial = '';
    const countErrors = (text) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!/"level":(50|60)/.test(line)) continue;
        const message = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 120);
        errorLines.set(message, (errorLines.get(message) ?? 0) + 1);
      }
    };
    const startHub = async () => {
      partial = '';
      hub = spawnNode([BIN, 'start'], env, { onOutput: countErrors });
      const readyAt = await waitForOk(`${hubUrl}/readyz`, hub, 60_000);
      readyTimes.push(readyAt - hub.startedAt);
    };
    cleanups.unshift(async () => hub !== undefined && stopGracefully(hub));

    // The very first start, on the empty database, killed part-way (migrations, master key,
    // bootstrap admin) before the one that is let through.
    for (let kill = 0; kill < firstStartKills; kill++) {
      const starting = spawnNode([BIN, 'start'], env);
      await sleep(random.between(100, 900));
      exits.push({ ...(await killHard(starting)), firstStart: true });
    }
    await startHub();
    await setUpSync(hubUrl, ADMIN, vendorsApi);
    const reader = await database.open();
    cleanups.unshift(async () => reader.close());
    const databaseVersion = await database.version(reader);
    log(`[${dialect}] ${databaseVersion}; hub ready in ${Math.round(readyTimes[0])} ms; sync set up; ${kills} kills ahead`);

    // Some deliveries arrive twice or out of order, as vendors' do (docs/sandbox.md "Fault injection").
    await vendorsApi.deliveryFaults([{ kind: 'duplicate', count: maxIssues }, { kind: 'reorder', count: Math.ceil(maxIssues / 2) }]);
    const linkedPairs = async () => {
      const links = await reader.db.selectFrom('sync_links').select(['issue_id', 'incident_id']).where('incident_id', 'is not', null).execute();
      return new Map(links.map((link) => [link.issue_id, link.incident_id]));
    };
    const traffic = startTraffic({ vendorsApi, random, marker, maxIssues, linkedPairs });
    const chaosStartedAt = Date.now();
    for (let kill = 1; kill <= kills; kill++) {
      const duringBoot = kill > 1 && random.chance(bootKillChance);
      if (duringBoot) {
        // Killed while starting: somewhere between spawn and ready (migrations, vault, listen).
        await sleep(random.between(50, 700));
      } else {
        await sleep(random.between(upMs[0], upMs[1]));
      }
      const exit = await killHard(hub);
      exits.push({ ...exit, duringBoot });
      try {
        await startHub();
      } catch (error) {
        throw new Error(`restart after kill ${kill} failed: ${error.message}`, { cause: error });
      }
      if (kill % 5 === 0 || kill === kills) log(`[${dialect}] ${kill}/${kills} kills; ${traffic.ledger.actions} vendor actions so far`);
    }
    // A last stretch of traffic with the hub up, then the vendors' people stop.
    await sleep(random.between(upMs[0], upMs[1]));
    await traffic.stop();
    const chaosMs = Date.now() - chaosStartedAt;

    log(`[${dialect}] burst over after ${(chaosMs / 1000).toFixed(1)} s; draining (up to ${drainTimeoutMs / 1000} s: killed jobs wait for their 55 s lease)`);
    let lastProgress = 0;
    const drain = await waitForDrain(reader, vendorsApi, drainTimeoutMs, (progress) => {
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        log(`[${dialect}]   waiting: ${progress.jobs} jobs queued or running, ${progress.unsettled} deliveries being retried`);
      }
    });
    const { counts, violations } = await checkRun({ database: reader, vendorsApi, ledger: traffic.ledger, marker });
    if (drain.timedOut) violations.unshift(`not drained after ${drainTimeoutMs / 1000} s: ${drain.jobs} jobs queued or running, ${drain.unsettled} deliveries still being retried`);
    for (const error of traffic.ledger.errors) violations.push(`vendor action failed: ${error}`);
    readyTimes.sort((a, b) => a - b);
    return {
      dialect,
      database: databaseVersion,
      kills: exits.filter((exit) => !exit.firstStart).length,
      killedDuringBoot: exits.filter((exit) => exit.duringBoot).length,
      killedBySigkill: exits.filter((exit) => !exit.firstStart && exit.signal === 'SIGKILL').length,
      killedDuringFirstStart: exits.filter((exit) => exit.firstStart && exit.signal === 'SIGKILL').length,
      vendorActions: traffic.ledger.actions,
      burstSeconds: Math.round(chaosMs / 100) / 10,
      drainSeconds: Math.round(drain.drainedMs / 100) / 10,
      readyMsMedian: Math.round(readyTimes[Math.floor(readyTimes.length / 2)]),
      hubErrorLines: Object.fromEntries(errorLines),
      ...counts,
      violations,
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error) => log(`cleanup: ${error.message}`));
  }
}
