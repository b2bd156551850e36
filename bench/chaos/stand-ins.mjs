// The PagerDuty and Linear stand-ins in a process of their own, for bench/chaos: what
// `integration-hub sandbox` serves (the same startSandbox), with two additions:
// - webhook retries are compressed (0.2 s, 0.5 s, then every second for about two and a half
//   minutes) instead of Linear's 1 min / 1 h / 6 h and PagerDuty's 10 s … 16 h, so a delivery
//   that met a killed hub is retried, as the vendors would, within one run;
// - a summary of every webhook attempt, per delivery id, on SANDBOX_SUMMARY_PORT
//   (GET /deliveries/linear, GET /deliveries/pagerduty): the stand-ins' own log keeps only the
//   newest 10,000 attempts, which a long run with many kills exceeds.
// Needs the built sandbox (npm run build:server).
//   env: SANDBOX_PAGERDUTY_PORT, SANDBOX_LINEAR_PORT, SANDBOX_SUMMARY_PORT.
import { createServer } from 'node:http';

const dist = new URL('../../dist/', import.meta.url);
const { startSandbox } = await import(new URL('sandbox/index.js', dist).href);

/** Delays before each retry; long enough to outlast any run of kills. */
const RETRY_SCHEDULE_MS = [200, 500, ...Array.from({ length: 150 }, () => 1000)];

const sandbox = await startSandbox({
  host: '127.0.0.1',
  pagerdutyPort: Number(process.env.SANDBOX_PAGERDUTY_PORT ?? 4010),
  linearPort: Number(process.env.SANDBOX_LINEAR_PORT ?? 4020),
  retryScheduleMs: RETRY_SCHEDULE_MS,
});

/** Per stand-in: attempts seen, and per delivery id {deliveryId, attempts, acked, dropped, last}. */
const summaries = { linear: { attempts: 0, byId: new Map() }, pagerduty: { attempts: 0, byId: new Map() } };
const seen = new WeakSet();
function fold() {
  for (const provider of ['linear', 'pagerduty']) {
    const summary = summaries[provider];
    for (const attempt of sandbox[provider].dispatcher.attempts()) {
      if (seen.has(attempt)) continue;
      seen.add(attempt);
      summary.attempts++;
      const entry = summary.byId.get(attempt.deliveryId) ?? { deliveryId: attempt.deliveryId, attempts: 0, acked: false, dropped: false, last: undefined };
      entry.attempts++;
      entry.acked ||= attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
      entry.dropped ||= attempt.outcome === 'dropped';
      if (entry.last === undefined || attempt.at >= entry.last.at) {
        entry.last = { at: attempt.at, outcome: attempt.outcome, status: attempt.status, error: attempt.error };
      }
      summary.byId.set(attempt.deliveryId, entry);
    }
  }
}
// Often enough that the stand-ins' 10,000-attempt log never turns over between two looks.
setInterval(fold, 200).unref();

const summaryServer = createServer((request, response) => {
  const provider = /^\/deliveries\/(linear|pagerduty)$/.exec(request.url ?? '')?.[1];
  if (provider === undefined) {
    response.writeHead(404).end();
    return;
  }
  fold();
  const { attempts, byId } = summaries[provider];
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ attempts, deliveries: [...byId.values()] }));
});
await new Promise((resolve) => summaryServer.listen(Number(process.env.SANDBOX_SUMMARY_PORT ?? 0), '127.0.0.1', resolve));
process.stdout.write(`ready ${sandbox.pagerdutyUrl} ${sandbox.linearUrl} http://127.0.0.1:${summaryServer.address().port}\n`);

const stop = () => {
  summaryServer.close();
  sandbox.close().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
