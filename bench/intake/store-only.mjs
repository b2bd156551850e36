#!/usr/bin/env node
// The intake's storing alone, without HTTP (docs/benchmarks.md "What changed"): batches of
// BATCH deliveries (default 16) submitted together to the intake's writer (group commit), N in
// all (default 60,000), on a fresh SQLite file; prints the event loop's time per stored
// delivery every 10,000.
//   npm run build:server && node bench/intake/store-only.mjs
//   env: BENCH_HUB_DIST (another build), SQLITE_SYNCHRONOUS (NORMAL), BATCH, N
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.BENCH_HUB_DIST ? pathToFileURL(`${path.resolve(process.env.BENCH_HUB_DIST)}/`) : new URL('../../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);
const { openDatabase } = await load('src/db/database.js');
const { migrateToLatest } = await load('src/db/migrate.js');
const { JobQueue } = await load('src/queue/queue.js');
const { deliveryWriter } = await load('src/webhooks/store-deliveries.js');
const { systemClock } = await load('src/core/clock.js');
const { newId } = await load('src/core/ids.js');

const dir = mkdtempSync(path.join(tmpdir(), 'hub-store-only-'));
const database = await openDatabase({ dialect: 'sqlite', file: path.join(dir, 'hub.db'), synchronous: process.env.SQLITE_SYNCHRONOUS ?? 'NORMAL' });
await migrateToLatest({ db: database.db });
await database.db.insertInto('organisations').values({ id: 'org_bench', name: 'Bench', created_at: Date.now() }).execute();
const writer = deliveryWriter(database, new JobQueue(database, systemClock));

const body = JSON.stringify({ padding: 'x'.repeat(2000) });
const delivery = () => {
  const now = Date.now();
  return {
    delivery: {
      id: newId('dlv'), organisationId: 'org_bench', endpointId: 'whk_bench', provider: 'linear',
      scopeKind: 'team', scopeId: 'team', scopeName: 'Team', externalId: randomUUID(),
      replayKey: `sha256:${randomBytes(32).toString('hex')}`, eventType: 'Issue', entityType: 'Issue',
      entityId: randomUUID(), entityLabel: 'ENG-1', eventKind: 'created', entityKind: 'issue',
      subjectKind: 'issue', subjectId: randomUUID(), actorId: null, actorName: null, occurredAt: now,
      accountId: null, body, receivedAt: now,
    },
    laneOf: { provider: 'linear', kind: 'issue', id: randomUUID() },
  };
};

const batch = Number(process.env.BATCH ?? 16);
const total = Number(process.env.N ?? 60_000);
let started = performance.now();
for (let stored = 0; stored < total; ) {
  await Promise.all(Array.from({ length: batch }, () => writer.submit(delivery())));
  stored += batch;
  if (stored % 10_000 < batch) {
    const now = performance.now();
    console.log(`${stored} stored: ${(((now - started) * 1000) / 10_000).toFixed(1)} µs per delivery`);
    started = now;
  }
}
await database.close();
rmSync(dir, { recursive: true, force: true });
