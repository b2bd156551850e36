import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { apiErrorSchema } from '../../src/api/index.js';
import type { HubDatabase } from '../../src/db/database.js';
import { checkAnswer } from '../helpers/contract.js';

/**
 * The fuzz suites' oracle: send one request as given (raw bytes, raw headers), and say what is
 * wrong with its answer — a 5xx, a 4xx outside the documented error shape (docs/api.md § Errors),
 * a 2xx outside the contract — and whether a refused request left a trace in the database.
 */

export interface FuzzRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface FuzzAnswer {
  status: number;
  text: string;
}

export async function send(baseUrl: string, request: FuzzRequest): Promise<FuzzAnswer> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    redirect: 'manual',
    ...(request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD'
      ? { body: typeof request.body === 'string' ? request.body : new Uint8Array(request.body) }
      : {}),
  });
  return { status: response.status, text: await response.text() };
}

const CODE = /^[a-z][a-z0-9_]*$/;

/** What is wrong with `answer` (empty when nothing): the suites' assertions, in words. */
export function problemsWith(request: FuzzRequest, answer: FuzzAnswer, options: { contract: boolean }): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  if (answer.status >= 400 && request.method !== 'HEAD') {
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      problems.push(`a ${answer.status} whose body is not JSON: ${answer.text.slice(0, 200)}`);
    }
    if (body !== undefined) {
      const parsed = apiErrorSchema.safeParse(body);
      if (!parsed.success) problems.push(`a ${answer.status} outside the error shape: ${answer.text.slice(0, 300)}`);
      else {
        if (!CODE.test(parsed.data.error.code)) problems.push(`error code is not machine-readable: ${parsed.data.error.code}`);
        if (parsed.data.error.message.trim() === '') problems.push('error message is empty');
      }
    }
  }
  if (options.contract && answer.status < 300) {
    try {
      checkAnswer(request.method, request.path, answer.status, answer.text === '' ? undefined : JSON.parse(answer.text));
    } catch (error) {
      problems.push(`a success outside the contract: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** A request in a form that can be pasted into an example test (bodies cut at 500 characters). */
export function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined ? '' : typeof request.body === 'string' ? JSON.stringify(request.body.slice(0, 500)) : `bytes(${Buffer.from(request.body).toString('hex').slice(0, 200)})`;
  return `${request.method} ${request.path.slice(0, 300)} ${JSON.stringify(request.headers).slice(0, 400)} ${body}`;
}

/**
 * Tables a refused request must leave as they were: rows compared whole (digest) where a
 * request could change one in place, else counted. Not compared: login_throttles (a refused
 * log-in is counted there on purpose), sessions' rows (their expiry slides on any request;
 * counted instead), scheduled jobs (they come and go on their own).
 */
const WHOLE = ['organisations', 'users', 'rules', 'rule_history', 'connections', 'oauth_attempts', 'webhook_endpoints', 'vault_secrets', 'vault_state', 'sync_links'] as const;
const COUNTED = ['sessions', 'webhook_deliveries', 'rule_pages', 'rule_skips', 'sync_ledger', 'sync_writes', 'vault_retired_keys'] as const;

export type Snapshot = Record<string, string>;

export async function snapshot(database: HubDatabase): Promise<Snapshot> {
  const db = database.db;
  const shot: Snapshot = {};
  for (const table of WHOLE) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    const lines = rows.rows.map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))).sort();
    shot[table] = `${lines.length} rows ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  for (const table of COUNTED) {
    const row = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    shot[table] = `${Number(row.rows[0]?.n)} rows`;
  }
  const jobs = await sql<{ n: number | string }>`select count(*) as n from jobs where unique_key is null`.execute(db);
  shot.jobs = `${Number(jobs.rows[0]?.n)} rows`;
  return shot;
}

/** The tables whose state differs between two snapshots, with before → after. */
export function changes(before: Snapshot, after: Snapshot): string[] {
  return Object.keys(before)
    .filter((table) => before[table] !== after[table])
    .map((table) => `${table}: ${before[table]} → ${after[table]}`);
}

/** Counts of requests by status class and by status, for the printed summary. */
export class Tally {
  readonly byStatus = new Map<number, number>();
  total = 0;
  add(status: number): void {
    this.total++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }
  toString(): string {
    return [...this.byStatus].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status}×${n}`).join(' ');
  }
}

/** The hub still answers its liveness and readiness checks. */
export async function stillAnswering(baseUrl: string): Promise<boolean> {
  const [live, ready] = await Promise.all([fetch(`${baseUrl}/healthz`), fetch(`${baseUrl}/readyz`)]);
  return live.status === 200 && ready.status === 200;
}
