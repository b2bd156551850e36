#!/usr/bin/env node
// bench/scale-out/notify-cost — what a NOTIFY inside a write transaction costs PostgreSQL.
//
//   node bench/scale-out/notify-cost.mjs [--seconds 3] [--clients 1,10,20]
//
// The queue wakes worker processes with `pg_notify` sent inside the enqueueing transaction
// (src/queue/queue.ts). PostgreSQL serialises the commits of every transaction that sent a
// NOTIFY (one lock for the whole cluster, held through the commit's WAL flush), so however many
// web processes take deliveries, their commits queue behind each other. This measures commits/s
// of `begin; insert one row; commit` from N clients three ways: without NOTIFY, with NOTIFY in
// the transaction, and with NOTIFY sent after the commit (its own, WAL-less transaction).
// Uses a table of its own (created and dropped) in BENCH_PG_URL / TEST_DATABASE_URL.
import pg from 'pg';
import { printRunInfo, runInfo } from '../run-info.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const seconds = Number(option('seconds', '3'));
const clientCounts = option('clients', '1,10,20').split(',').map(Number);
const url = process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL;
if (url === undefined) throw new Error('set BENCH_PG_URL or TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');

const setup = new pg.Client({ connectionString: url });
await setup.connect();
const version = (await setup.query('show server_version')).rows[0].server_version;
const table = `notify_cost_${process.pid}`;
await setup.query(`create table ${table} (id bigserial primary key, v text not null)`);
printRunInfo(runInfo({ postgres: version }));

async function commitsPerSecond(mode, clients) {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  let commits = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < end) {
          await client.query('begin');
          await client.query(`insert into ${table} (v) values ('x')`);
          if (mode === 'in') await client.query(`select pg_notify('notify_cost', '')`);
          await client.query('commit');
          if (mode === 'after') await client.query(`select pg_notify('notify_cost', '')`);
          commits++;
        }
      } finally {
        client.release();
      }
    }),
  );
  await pool.end();
  return Math.round(commits / seconds);
}

try {
  process.stdout.write('| clients | no NOTIFY | NOTIFY in the transaction | NOTIFY after the commit |\n|---|---|---|---|\n');
  for (const clients of clientCounts) {
    const none = await commitsPerSecond('none', clients);
    const inside = await commitsPerSecond('in', clients);
    const after = await commitsPerSecond('after', clients);
    process.stdout.write(`| ${clients} | ${none} | ${inside} | ${after} |\n`);
  }
  process.stdout.write('\ncommits per second; each row measured for the given seconds per mode, one mode after another\n');
} finally {
  await setup.query(`drop table if exists ${table}`);
  await setup.end();
}
