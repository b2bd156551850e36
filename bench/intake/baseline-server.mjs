// The baseline, in its own process (bench/intake/run.mjs starts it): a bare Fastify handler that
// verifies the same Linear signature (hex HMAC-SHA256 of the raw body, constant-time compare)
// and does one INSERT — SQLite through better-sqlite3 in WAL at BENCH_SQLITE_SYNCHRONOUS
// (NORMAL or FULL), or PostgreSQL through a pg pool of 10 (the hub's default pool size) —
// and answers 200 after it. Nothing else: no parsing, no dedup, no queue.
//   env: BENCH_DIALECT=sqlite|postgres, BENCH_PG_URL, BENCH_SQLITE_SYNCHRONOUS
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { freePort } from './ports.mjs';

const dialect = process.env.BENCH_DIALECT ?? 'sqlite';
const secret = randomBytes(32).toString('hex');
const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-bench-baseline-'));
const table = `bench_baseline_${randomBytes(6).toString('hex')}`;

let insert;
let close;
if (dialect === 'sqlite') {
  const db = new Database(path.join(dataDir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${process.env.BENCH_SQLITE_SYNCHRONOUS ?? 'NORMAL'}`);
  db.exec(`create table deliveries (id text primary key, received_at integer not null, body text not null)`);
  const statement = db.prepare('insert into deliveries (id, received_at, body) values (?, ?, ?)');
  insert = async (id, body) => statement.run(id, Date.now(), body);
  close = async () => db.close();
} else {
  const pool = new pg.Pool({ connectionString: process.env.BENCH_PG_URL, max: 10 });
  await pool.query(`create table ${table} (id text primary key, received_at bigint not null, body text not null)`);
  insert = (id, body) => pool.query({ name: 'insert-delivery', text: `insert into ${table} (id, received_at, body) values ($1, $2, $3)`, values: [id, Date.now(), body] });
  close = async () => {
    await pool.query(`drop table if exists ${table}`);
    await pool.end();
  };
}

const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post('/webhooks/linear/:id', async (request, reply) => {
  const body = request.body;
  const signature = String(request.headers['linear-signature'] ?? '');
  const expected = createHmac('sha256', secret).update(body).digest('hex');
  if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
    return reply.code(401).send({ error: { code: 'signature_invalid' } });
  }
  await insert(String(request.headers['linear-delivery']), body.toString('utf8'));
  return reply.code(200).send({ received: true });
});
const port = await freePort();
await app.listen({ port, host: '127.0.0.1' });
process.send({ ready: true, url: `http://127.0.0.1:${port}`, path: '/webhooks/linear/baseline', secret, workspaceId: '632c11fa-738c-46b0-ab60-5a78487848f0', teamId: '9874f2c6-57b4-4582-95f1-f33e9244eeb5' });

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.close();
  await close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('disconnect', stop);
