/**
 * Scale-out on PostgreSQL (issue 13 item 5; docs/deployment.md): the built program in real
 * processes — two `start --role web`, two `start --role worker`, the stand-ins in their own
 * (`integration-hub sandbox`) — all started at once on one empty database. A few hundred signed
 * Linear deliveries, several per issue, go to both web processes; one worker is killed with
 * SIGKILL while it holds jobs. Then: every delivery answered 2xx was stored once and processed
 * once, each issue's deliveries were processed in the order they arrived, one at a time.
 *
 * A killed worker's jobs become runnable when their lease (LEASE_MS, about a minute) runs out;
 * like test/queue/processes.test.ts, the test moves the lease's end into the past instead of
 * waiting a minute — after checking the surviving worker left those jobs alone meanwhile.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../sandbox/linear/seed.js';
import { quoteIdent } from '../../src/db/database.js';
import { HubClient, login } from '../helpers/client.js';
import { assertBuilt, runCli, waitForOk } from '../helpers/cli.js';
import { connectProvider, sandboxControl, vendorEnvFor } from '../helpers/connections.js';
import { TEST_DATABASE_URL } from '../helpers/databases.js';
import { freePort } from '../helpers/hub.js';
import { requirePrerequisite } from '../helpers/prerequisites.js';

const ADMIN = { email: 'ops@acme.test', password: 'four processes, one database' };
const ENG_TEAM = SEED_IDS.acme.teams.ENG;
const ACME_WORKSPACE = SEED_IDS.acme.organization;
/** 40 issues × 8 deliveries = 320 deliveries; each issue's go one after another, alternating web processes. */
const ISSUES = 40;
const PER_ISSUE = 8;
/** The worker is killed once this many deliveries were answered. */
const KILL_AFTER = Math.floor((ISSUES * PER_ISSUE) / 3);

type Hub = ReturnType<typeof runCli>;

const postgresAvailable = requirePrerequisite('PostgreSQL (TEST_DATABASE_URL)', TEST_DATABASE_URL !== undefined);

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Resolves once the process printed `text` (a ready line); rejects if it exits first. */
async function waitForOutput(hub: Hub, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!hub.output().includes(text)) {
    if (hub.child.exitCode !== null) throw new Error(`exited before "${text}":\n${hub.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${hub.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The queue worker id a `--role worker` process logs when it listens (it locks jobs under it). */
function workerIdOf(hub: Hub): string {
  for (const line of hub.output().split('\n')) {
    if (!line.includes('"msg":"hub listening')) continue;
    const id = (JSON.parse(line) as { workerId?: string }).workerId;
    if (id !== undefined) return id;
  }
  throw new Error(`no worker id logged:\n${hub.output()}`);
}

const hmacHex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

describe('scale-out on PostgreSQL: 2 web and 2 worker processes', () => {
  const name = `hub_scale_${process.pid}_${Date.now().toString(36)}`;
  let databaseUrl = '';
  let db: pg.Pool | undefined;
  const processes: Hub[] = [];
  const dirs: string[] = [];

  beforeAll(() => {
    if (postgresAvailable) assertBuilt('dist/src/http/probe-app.js', 'dist/src/config/roles.js');
  });
  afterAll(async () => {
    for (const hub of processes) if (hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill('SIGTERM');
    await Promise.all(processes.map((hub) => hub.done));
    await db?.end();
    if (databaseUrl !== '') await admin(`drop database if exists ${quoteIdent(name)} with (force)`);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(postgresAvailable)(
    `${ISSUES * PER_ISSUE} deliveries over both web processes, a worker killed mid-way: nothing lost, nothing twice, each issue in order`,
    { timeout: 90_000 },
    async () => {
      await admin(`create database ${quoteIdent(name)}`);
      const url = new URL(TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      db = new pg.Pool({ connectionString: databaseUrl, max: 2 });

      const [pdPort, linearPort, web1, web2, worker1, worker2] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
      const webUrls = [web1!, web2!].map((port) => `http://127.0.0.1:${port}`);
      const publicUrl = webUrls[0]!; // a reverse proxy's origin in production; here the first web process
      const stand = { pagerdutyUrl: `http://localhost:${pdPort}`, linearUrl: `http://localhost:${linearPort}` };
      const dataDir = () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'hub-scale-'));
        dirs.push(dir);
        return dir;
      };
      const common = {
        SANDBOX_PAGERDUTY_PORT: String(pdPort),
        SANDBOX_LINEAR_PORT: String(linearPort),
        PUBLIC_URL: publicUrl,
        LOG_LEVEL: 'info',
      };

      // The stand-ins in a process of their own, as `integration-hub sandbox` serves them.
      const sandbox = runCli(['sandbox'], { ...common, DATA_DIR: dataDir() });
      processes.push(sandbox);
      await waitForOutput(sandbox, 'Linear sandbox:');
      for (const [provider, base] of [['pagerduty', stand.pagerdutyUrl], ['linear', stand.linearUrl]] as const) {
        await sandboxControl(base, 'POST', '/_sandbox/clients', { clientId: 'integration-hub-sandbox', redirectUris: [`${publicUrl}/oauth/${provider}/callback`] });
      }
      // Each delivery's job reads its issue from Linear: the stand-in's budget (Linear's, 1,200 an hour) is not what this tests.
      await sandboxControl(stand.linearUrl, 'POST', '/_sandbox/settings', { rateLimits: { oauth: { requests: 1_000_000, complexity: 100_000_000 } } });

      // Four hub processes, all at once on the empty database: migrations and the bootstrap admin must cope.
      const masterKey = randomBytes(32).toString('base64');
      const hubEnv = (port: number) => ({
        ...common,
        ...vendorEnvFor(stand),
        SANDBOX: 'off',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir(),
        DATABASE_URL: databaseUrl,
        HUB_MASTER_KEY: masterKey,
        HUB_ADMIN_EMAIL: ADMIN.email,
        HUB_ADMIN_PASSWORD: ADMIN.password,
        CONNECTION_CHECK_INTERVAL_SECONDS: '0',
      });
      const webs = [web1!, web2!].map((port) => runCli(['start', '--role', 'web'], hubEnv(port)));
      const workers = [worker1!, worker2!].map((port) => runCli(['start', '--role=worker'], { ...hubEnv(port), WORKER_CONCURRENCY: '4' }));
      processes.push(...webs, ...workers);
      const workerUrls = [worker1!, worker2!].map((port) => `http://127.0.0.1:${port}`);
      try {
        await Promise.all([...webUrls, ...workerUrls].map((base) => waitForOk(`${base}/readyz`, 30_000)));
      } catch (error) {
        throw new Error(`${String(error)}\n${processes.map((p, i) => `--- process ${i}:\n${p.output()}`).join('\n')}`, { cause: error });
      }
      await Promise.all(workers.map((worker) => waitForOutput(worker, '"msg":"hub listening')));
      const workerIds = workers.map(workerIdOf);

      // A worker serves the probes only: no API, no intake.
      expect((await fetch(`${workerUrls[0]!}/healthz`)).status).toBe(200);
      const notServed = await fetch(`${workerUrls[0]!}/api/meta`);
      expect(notServed.status).toBe(404);
      expect(((await notServed.json()) as { error: { code: string } }).error.code).toBe('not_found');

      // PagerDuty and Linear connected and a team webhook made, through the web processes (the OAuth callback lands on PUBLIC_URL).
      const clients = webUrls.map((base) => new HubClient({ url: base, config: { publicUrl: new URL(publicUrl) } as never }));
      for (const c of clients) await login(c, ADMIN.email, ADMIN.password);
      for (const provider of ['pagerduty', 'linear'] as const) {
        const { attempt } = await connectProvider(clients[0]!, provider);
        expect(attempt?.outcome, attempt?.message ?? '').toBe('succeeded');
      }
      const created = await clients[1]!.post<{ webhook: { id: string } }>('/api/webhooks/linear', { teamId: ENG_TEAM });
      expect(created.status, created.text).toBe(201);
      const endpointId = created.body.webhook.id;
      const { webhooks } = await sandboxControl<{ webhooks: Array<{ url: string; secret: string }> }>(stand.linearUrl, 'GET', '/_sandbox/webhooks');
      const secret = webhooks.find((hook) => hook.url.includes(endpointId))?.secret;
      if (secret === undefined) throw new Error(`the stand-in has no webhook for endpoint ${endpointId}`);

      // The load: each issue's deliveries one after another (so their arrival order is known),
      // alternating between the web processes; all issues at once.
      const issues = Array.from({ length: ISSUES }, () => randomUUID());
      const answers: Array<{ status: number; issue: string; n: number; text: string }> = [];
      let killed: { at: number; heldJobs: string[] } | undefined;
      const killWorker = async () => {
        // Kill while it holds jobs: wait (briefly) for a moment it has one running.
        for (let i = 0; i < 200 && killed === undefined; i++) {
          const held = await db!.query<{ id: string }>(`select id from jobs where status = 'running' and locked_by = $1`, [workerIds[0]]);
          if (held.rows.length > 0 || i === 199) {
            workers[0]!.child.kill('SIGKILL');
            killed = { at: Date.now(), heldJobs: held.rows.map((row) => row.id) };
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      let killing: Promise<void> | undefined;
      const startedAt = Date.now();
      await Promise.all(
        issues.map(async (issue, i) => {
          for (let n = 0; n < PER_ISSUE; n++) {
            const body = JSON.stringify({
              action: n === 0 ? 'create' : 'update',
              type: 'Issue',
              createdAt: new Date().toISOString(),
              data: { id: issue, identifier: `ENG-${1000 + i}`, number: 1000 + i, title: `scale-out ${n}`, teamId: ENG_TEAM },
              url: `http://linear.test/acme/issue/ENG-${1000 + i}/${issue}`,
              organizationId: ACME_WORKSPACE,
              webhookId: randomUUID(),
              webhookTimestamp: Date.now(),
            });
            const response = await fetch(`${webUrls[(i + n) % 2]!}/webhooks/linear/${endpointId}`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json; charset=utf-8',
                'linear-delivery': randomUUID(),
                'linear-event': 'Issue',
                'linear-signature': hmacHex(secret, body),
              },
              body,
            });
            answers.push({ status: response.status, issue, n, text: await response.text() });
            if (answers.length === KILL_AFTER) killing = killWorker();
          }
        }),
      );
      const sentMs = Date.now() - startedAt;
      await killing;
      expect(killed, 'the worker was killed').toBeDefined();
      expect(await workers[0]!.done).toMatchObject({ signal: 'SIGKILL' });

      const refused = answers.filter((answer) => answer.status < 200 || answer.status >= 300);
      expect(refused, JSON.stringify(refused.slice(0, 3))).toEqual([]);
      expect(answers).toHaveLength(ISSUES * PER_ISSUE);

      // The killed worker's jobs stay leased to it: the survivor leaves them alone until the lease runs out.
      const abandoned = await db.query<{ id: string }>(`select id from jobs where status = 'running' and locked_by = $1`, [workerIds[0]]);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const stillHeld = await db.query<{ id: string }>(`select id from jobs where status = 'running' and locked_by = $1`, [workerIds[0]]);
      expect(stillHeld.rows.map((row) => row.id).sort()).toEqual(abandoned.rows.map((row) => row.id).sort());
      // The lease running out, without waiting for it: as the passage of time would.
      await db.query(`update jobs set locked_until = $1 where status = 'running' and locked_by = $2`, [Date.now() - 1, workerIds[0]]);

      const deadline = Date.now() + 30_000;
      for (;;) {
        const pending = await db.query<{ count: string }>(
          `select count(*) as count from jobs where kind = 'webhook.process_delivery' and status in ('queued', 'running')`,
        );
        if (Number(pending.rows[0]!.count) === 0) break;
        if (Date.now() > deadline) throw new Error(`${pending.rows[0]!.count} delivery jobs still pending after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const drainedMs = Date.now() - startedAt;

      // Nothing lost, nothing twice: one stored delivery per 2xx answer, one job each, succeeded;
      // a second attempt only for the jobs the killed worker held.
      const rows = (
        await db.query<{ delivery: string; body: string; outcome: string; processed_at: string; job_id: string; seq: string; status: string; attempts: number; finished_at: string; lane: string }>(
          `select d.id as delivery, d.body, d.outcome, d.processed_at, d.job_id, j.seq, j.status, j.attempts, j.finished_at, j.lane
             from webhook_deliveries d join jobs j on j.id = d.job_id
            where d.endpoint_id = $1`,
          [endpointId],
        )
      ).rows;
      expect(rows).toHaveLength(answers.length);
      expect(await db.query(`select 1 from webhook_deliveries where job_id is null`).then((r) => r.rowCount)).toBe(0);
      expect(rows.filter((row) => row.status !== 'succeeded' || row.outcome !== 'processed')).toEqual([]);
      const abandonedIds = new Set(abandoned.rows.map((row) => row.id));
      for (const row of rows) expect(row.attempts, `job ${row.job_id}`).toBe(abandonedIds.has(row.job_id) ? 2 : 1);

      // Each issue: its deliveries stored in the order they were sent, their jobs in one lane,
      // each finished before the next (in arrival order) finished.
      const byIssue = new Map<string, typeof rows>();
      for (const row of rows) {
        const issue = (JSON.parse(row.body) as { data: { id: string } }).data.id;
        byIssue.set(issue, [...(byIssue.get(issue) ?? []), row]);
      }
      expect(byIssue.size).toBe(ISSUES);
      for (const [issue, issueRows] of byIssue) {
        const inArrival = [...issueRows].sort((a, b) => Number(a.seq) - Number(b.seq));
        expect(inArrival.map((row) => (JSON.parse(row.body) as { data: { title: string } }).data.title)).toEqual(
          Array.from({ length: PER_ISSUE }, (_, n) => `scale-out ${n}`),
        );
        expect(new Set(inArrival.map((row) => row.lane))).toEqual(new Set([`linear:issue:${issue}`]));
        for (let n = 1; n < inArrival.length; n++) {
          expect(Number(inArrival[n]!.finished_at)).toBeGreaterThanOrEqual(Number(inArrival[n - 1]!.finished_at));
          expect(Number(inArrival[n]!.processed_at)).toBeGreaterThanOrEqual(Number(inArrival[n - 1]!.processed_at));
        }
      }

      // One at a time per issue, seen from the stand-in: every run reads the issue from Linear
      // first; between two delivery jobs finishing there is exactly one read of that issue (two
      // where the killed worker's run read it before dying).
      const { requests } = await sandboxControl<{ requests: Array<{ at: number; path: string; body?: { variables?: Record<string, unknown> } }> }>(
        stand.linearUrl,
        'GET',
        '/_sandbox/requests?method=POST&pathPrefix=/graphql',
      );
      const readsOf = new Map<string, number[]>();
      for (const request of requests) {
        const id = Object.values(request.body?.variables ?? {}).find((value) => typeof value === 'string' && byIssue.has(value));
        if (typeof id === 'string') readsOf.set(id, [...(readsOf.get(id) ?? []), request.at]);
      }
      let reads = 0;
      for (const [issue, issueRows] of byIssue) {
        const finishes = issueRows.map((row) => Number(row.finished_at)).sort((a, b) => a - b);
        const times = (readsOf.get(issue) ?? []).sort((a, b) => a - b);
        const rerun = issueRows.filter((row) => abandonedIds.has(row.job_id)).length;
        reads += times.length;
        expect(times.length, `reads of issue ${issue}`).toBeGreaterThanOrEqual(PER_ISSUE);
        expect(times.length, `reads of issue ${issue}`).toBeLessThanOrEqual(PER_ISSUE + rerun);
        // The n-th finish comes after at least n reads, and no read of run n+1 comes before finish n.
        for (let n = 0; n < finishes.length - 1; n++) {
          const readsBefore = times.filter((at) => at <= finishes[n]!).length;
          expect(readsBefore, `issue ${issue}: reads before finish ${n}`).toBeGreaterThanOrEqual(n + 1);
          expect(readsBefore, `issue ${issue}: reads before finish ${n}`).toBeLessThanOrEqual(n + 1 + rerun);
        }
      }

      process.stdout.write(
        `[scale-out] ${answers.length} deliveries over 2 web processes in ${sentMs} ms (${Math.round((answers.length / sentMs) * 1000)}/s); ` +
          `worker killed after ${KILL_AFTER} holding ${killed!.heldJobs.length} job(s), ${abandoned.rows.length} abandoned; all processed ${drainedMs} ms after the first; ` +
          `${reads} reads of the issues at the Linear stand-in\n`,
      );

      // The rest stop cleanly on SIGTERM.
      for (const hub of [...webs, workers[1]!, sandbox]) hub.child.kill('SIGTERM');
      for (const hub of [...webs, workers[1]!, sandbox]) expect((await hub.done).code, hub.output().slice(-2000)).toBe(0);
    },
  );
});
