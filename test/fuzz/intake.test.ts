import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubDatabase } from '../../src/db/database.js';
import { testDialects } from '../helpers/databases.js';
import {
  createTeamWebhook,
  ensureCheckoutSubscription,
  hmacHex,
  linearPayload,
  pagerdutyPayload,
  PROCESS_DELIVERY_KIND,
  signingSecret,
  startConnectedHub,
  until,
  type ConnectedHub,
} from '../webhooks/fixture.js';
import { contentType, FUZZ_RUNS, fuzzParameters, headerValue, hostileString, mutated, onTheWire, pathSegment } from './arbitraries.js';
import { describeRequest, problemsWith, send, stillAnswering, Tally, type FuzzRequest } from './probe.js';

/**
 * Issue 13, item 6: the webhook intake (POST /webhooks/linear/:id, /webhooks/pagerduty/:id)
 * under FUZZ_RUNS×10 generated deliveries per kind — unsigned, badly signed, and correctly signed
 * but malformed: valid payloads with a field removed, retyped, added or buried, truncated or
 * broken JSON, invalid UTF-8, deep nesting, huge strings, odd Content-Types, repeated and hostile
 * delivery ids, unknown endpoints and providers. Every answer: no 5xx; a refusal in the error
 * shape and storing nothing; anything not correctly signed refused; an accepted delivery stored
 * once (a repeat: not at all), also when copies arrive at the same time. The worker runs, so accepted hostile deliveries are processed too.
 */

type Vendor = 'linear' | 'pagerduty';

/** Delivery ids used more than once on purpose (duplicates across bodies). */
const REPEATED_IDS = ['fuzz-delivery-1', 'fuzz-delivery-2', randomUUID()];

async function intakeCounts(database: HubDatabase): Promise<{ deliveries: number; jobs: number }> {
  const deliveries = await sql<{ n: number | string }>`select count(*) as n from webhook_deliveries`.execute(database.db);
  const jobs = await sql<{ n: number | string }>`select count(*) as n from jobs where kind = ${PROCESS_DELIVERY_KIND}`.execute(database.db);
  return { deliveries: Number(deliveries.rows[0]?.n), jobs: Number(jobs.rows[0]?.n) };
}

describe.each(testDialects())('fuzzing the webhook intake on %s', (dialect) => {
  let env: ConnectedHub;
  const endpoints = {} as Record<Vendor, { id: string; secret: string }>;
  const tally = new Tally();

  beforeAll(async () => {
    env = await startConnectedHub(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '0', WEBHOOK_BODY_LIMIT_BYTES: '65536' });
    const hook = await createTeamWebhook(env.org.admin);
    const subscription = await ensureCheckoutSubscription(env);
    endpoints.linear = { id: hook.id, secret: (await signingSecret(env.hub, env.org.organisationId, hook.id))! };
    endpoints.pagerduty = { id: subscription.id, secret: (await signingSecret(env.hub, env.org.organisationId, subscription.id))! };
  }, 120_000);

  afterAll(async () => {
    console.log(`intake fuzz on ${dialect}: ${tally.total} deliveries (seed ${fuzzParameters(0).seed}, FUZZ_RUNS=${FUZZ_RUNS}) — ${tally.toString()}`);
    await env?.close();
  });

  /** A valid payload (fresh ids and timestamp) as the vendor would send it. */
  const payload = (vendor: Vendor) => fc.constant(null).map(() => (vendor === 'linear' ? linearPayload() : pagerdutyPayload()));
  const body = (vendor: Vendor) =>
    fc.oneof(
      { weight: 6, arbitrary: payload(vendor).chain(mutated).chain((value) => onTheWire(JSON.stringify(value) ?? 'null')) },
      { weight: 1, arbitrary: hostileString },
      { weight: 1, arbitrary: payload(vendor).map((value) => JSON.stringify({ ...value, padding: 'x'.repeat(70_000) })) },
    );
  const deliveryId = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined).map(() => randomUUID()) },
    { weight: 2, arbitrary: fc.constantFrom(...REPEATED_IDS) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: headerValue },
  );
  const signatureHeader = (vendor: Vendor) => (vendor === 'linear' ? 'linear-signature' : 'x-pagerduty-signature');
  const idHeader = (vendor: Vendor) => (vendor === 'linear' ? 'linear-delivery' : 'x-webhook-id');
  const signed = (vendor: Vendor, secret: string, bytes: string | Uint8Array) => (vendor === 'linear' ? hmacHex(secret, Buffer.from(bytes)) : `v1=${hmacHex(secret, Buffer.from(bytes))}`);

  function headersOf(vendor: Vendor, type: string | undefined, id: string | undefined, signature: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    if (type !== undefined) headers['content-type'] = type;
    if (id !== undefined) headers[idHeader(vendor)] = id;
    if (signature !== undefined) headers[signatureHeader(vendor)] = signature;
    if (vendor === 'linear') headers['linear-event'] = 'Issue';
    return headers;
  }

  /** Unsigned, signed with another secret, signed over other bytes, or a garbage signature; any endpoint. */
  function forged(vendor: Vendor): fc.Arbitrary<FuzzRequest> {
    const other: Vendor = vendor === 'linear' ? 'pagerduty' : 'linear';
    const path = fc.oneof(
      { weight: 6, arbitrary: fc.constant(`/webhooks/${vendor}/${endpoints[vendor].id}`) },
      { weight: 1, arbitrary: fc.constant(`/webhooks/${vendor}/${endpoints[other].id}`) },
      { weight: 1, arbitrary: pathSegment(fc.constant(endpoints[vendor].id)).map((id) => `/webhooks/${vendor}/${id}`) },
      { weight: 1, arbitrary: pathSegment(fc.constantFrom('slack', 'LINEAR', vendor)).map((provider) => `/webhooks/${provider}/${endpoints[vendor].id}`) },
    );
    return fc.record({ path, body: body(vendor), type: contentType, id: deliveryId, how: fc.nat(4), garbage: headerValue }).map((r) => {
      const signature = [
        undefined,
        r.garbage,
        signed(vendor, randomUUID(), r.body),
        signed(vendor, endpoints[vendor].secret, Buffer.concat([Buffer.from(r.body), Buffer.from(' ')])),
        signed(other, endpoints[vendor].secret, r.body),
      ][r.how];
      return { method: 'POST', path: r.path, headers: headersOf(vendor, r.type, r.id, signature), body: r.body };
    });
  }

  /** Correctly signed over the exact bytes sent, whatever they are. */
  function signedButMalformed(vendor: Vendor): fc.Arbitrary<FuzzRequest> {
    return fc.record({ body: body(vendor), type: contentType, id: deliveryId, upper: fc.boolean() }).map((r) => {
      const signature = signed(vendor, endpoints[vendor].secret, r.body);
      return { method: 'POST', path: `/webhooks/${vendor}/${endpoints[vendor].id}`, headers: headersOf(vendor, r.type, r.id, r.upper ? signature.toUpperCase() : signature), body: r.body };
    });
  }

  async function check(request: FuzzRequest, mayAccept: boolean): Promise<void> {
    const before = await intakeCounts(env.hub.database);
    const answer = await send(env.hub.url, request);
    tally.add(answer.status);
    const after = await intakeCounts(env.hub.database);
    const problems = problemsWith(request, answer, { contract: false });
    if (answer.status >= 300 && (after.deliveries !== before.deliveries || after.jobs !== before.jobs)) {
      problems.push(`refused (${answer.status}) but stored: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    }
    if (answer.status < 300) {
      if (!mayAccept) problems.push(`accepted (${answer.status}) without a valid signature`);
      const repeat = (JSON.parse(answer.text) as { duplicate?: boolean }).duplicate === true;
      const added = repeat ? 0 : 1;
      if (after.deliveries !== before.deliveries + added || after.jobs !== before.jobs + added) {
        problems.push(`accepted${repeat ? ' as a repeat' : ''} but stored ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      }
    }
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\nrequest: ${describeRequest(request)}\nanswer: ${answer.status} ${answer.text.slice(0, 300)}`);
  }

  for (const vendor of ['linear', 'pagerduty'] as const) {
    it(`${vendor}: unsigned and badly signed deliveries are refused, nothing stored (${FUZZ_RUNS * 10} inputs)`, async () => {
      await fc.assert(fc.asyncProperty(forged(vendor), (request) => check(request, false)), fuzzParameters(FUZZ_RUNS * 10));
      expect(await stillAnswering(env.hub.url)).toBe(true);
    });

    it(`${vendor}: correctly signed but malformed deliveries: 200 stored once, or a 4xx storing nothing (${FUZZ_RUNS * 10} inputs)`, async () => {
      await fc.assert(fc.asyncProperty(signedButMalformed(vendor), (request) => check(request, true)), fuzzParameters(FUZZ_RUNS * 10));
      expect(await stillAnswering(env.hub.url)).toBe(true);
    });
  }

  for (const vendor of ['linear', 'pagerduty'] as const) {
    it(`${vendor}: one signed delivery sent 2–5 times at once is stored at most once (${FUZZ_RUNS * 2} inputs)`, async () => {
      const copiesOf = fc.tuple(signedButMalformed(vendor), fc.integer({ min: 2, max: 5 }));
      await fc.assert(
        fc.asyncProperty(copiesOf, async ([request, copies]) => {
          const before = await intakeCounts(env.hub.database);
          const answers = await Promise.all(Array.from({ length: copies }, () => send(env.hub.url, request)));
          const after = await intakeCounts(env.hub.database);
          const problems = answers.flatMap((answer) => {
            tally.add(answer.status);
            return problemsWith(request, answer, { contract: false });
          });
          // Linear deliveries are recognised by their body; PagerDuty's by event.id or, failing that, the delivery id.
          const recognisable = vendor === 'linear' || (request.headers[idHeader(vendor)] ?? '') !== '';
          const accepted = answers.some((answer) => answer.status < 300);
          const most = !accepted ? 0 : recognisable ? 1 : copies;
          if (after.deliveries - before.deliveries > most || after.jobs - before.jobs > most) {
            problems.push(`${copies} copies (${answers.map((answer) => answer.status).join(',')}) stored ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
          }
          if (problems.length > 0) throw new Error(`${problems.join('\n')}\nrequest: ${describeRequest(request)}`);
        }),
        fuzzParameters(FUZZ_RUNS * 2),
      );
    });
  }

  it('the accepted hostile deliveries are processed without an unhandled error, and the hub still answers', async () => {
    const pending = () =>
      env.hub.database.db.selectFrom('jobs').select('id').where('kind', '=', PROCESS_DELIVERY_KIND).where('status', 'in', ['queued', 'running']).execute();
    await until('every delivery job ran', async () => (await pending()).length === 0, 60_000);
    const statuses = await env.hub.database.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', '=', PROCESS_DELIVERY_KIND)
      .groupBy('status')
      .execute();
    console.log(`intake fuzz on ${dialect}: delivery jobs ${statuses.map((row) => `${row.status}×${row.n}`).join(' ')}`);
    expect(statuses.filter((row) => row.status === 'dead')).toEqual([]);
    expect(env.hub.logs.lines.filter((line) => line.includes('"unhandled error"') || line.includes('"framework error"'))).toEqual([]);
    expect(await stillAnswering(env.hub.url)).toBe(true);
  }, 90_000);
});
