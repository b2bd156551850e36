import pg from 'pg';
import type { DatabaseConfig } from '../config/index.js';
import { OperatorError } from '../core/operator-error.js';
import { openDatabase, type HubDatabase } from './database.js';

/** How long the start-up probe waits for PostgreSQL to accept a connection. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * openDatabase() for `start`, `migrate` and `rotate-key`: the usual reasons a database cannot
 * be opened at start (PostgreSQL down, unreachable, refusing the log-in, no such database; a
 * SQLite path that cannot be created or is not a database) are the operator's to fix, so they
 * become an OperatorError — one line, exit 78 — instead of a stack trace. The line names host,
 * port, user and database, never the password. Any other error is thrown unchanged.
 * PostgreSQL is probed with one connection first: the pool connects lazily, and without a
 * timeout a host that drops packets would hang the start for minutes.
 */
export async function openDatabaseOrExplain(config: DatabaseConfig, timeoutMs = CONNECT_TIMEOUT_MS): Promise<HubDatabase> {
  if (config.dialect === 'postgres') await probePostgres(config.url, timeoutMs);
  try {
    return await openDatabase(config);
  } catch (error) {
    throw config.dialect === 'sqlite' ? explainSqliteError(error, config.file) : error;
  }
}

async function probePostgres(url: string, timeoutMs: number): Promise<void> {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  } catch {
    // The parser's error may carry the URL itself (and so the password): never pass it on.
    throw new OperatorError('DATABASE_URL is not a valid postgres:// URL (see docs/configuration.md).');
  }
  client.on('error', () => undefined); // reported through connect()'s rejection
  try {
    await client.connect();
  } catch (error) {
    throw explainPostgresError(error, url, timeoutMs);
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Target {
  where: string;
  user: string;
  database: string;
  password: string;
}

/** What DATABASE_URL points at, for messages: never the password (kept only to scrub it). */
function targetOf(url: string): Target {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
    const user = decodeURIComponent(parsed.username) || '(default user)';
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user;
    return { where: `${host}:${parsed.port || '5432'}`, user, database, password: decodeURIComponent(parsed.password) };
  } catch {
    return { where: 'DATABASE_URL', user: '(unknown user)', database: '(unknown database)', password: '' };
  }
}

const UNREACHABLE = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);

/** One line the operator can act on; the cause stays attached for debugging. */
export function explainPostgresError(error: unknown, url: string, timeoutMs = CONNECT_TIMEOUT_MS): OperatorError {
  const target = targetOf(url);
  const e = error as { code?: unknown; message?: unknown; errors?: Array<{ code?: unknown }> };
  // Node reports a host with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  const first = e.errors?.[0]?.code;
  const code = typeof e.code === 'string' ? e.code : typeof first === 'string' ? first : undefined;
  const raw = typeof e.message === 'string' ? e.message : String(error);
  const serverSays = target.password === '' ? raw : raw.split(target.password).join('***');
  const intro = `cannot connect to PostgreSQL at ${target.where}`;
  const problem =
    code === 'ECONNREFUSED'
      ? 'connection refused. Is PostgreSQL running, and are the host and port in DATABASE_URL right?'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name does not resolve. Check the host in DATABASE_URL.'
        : (code !== undefined && UNREACHABLE.has(code)) || /timeout/i.test(raw)
          ? `no answer within ${Math.round(timeoutMs / 1000)} s. Check the host and port in DATABASE_URL and any firewall between.`
          : code === '28P01'
            ? `the password of user "${target.user}" was refused. Check the password in DATABASE_URL.`
            : code === '28000' || code === '42501'
              ? `user "${target.user}" may not connect to database "${target.database}": ${serverSays}`
              : code === '3D000'
                ? `database "${target.database}" does not exist. Create it (createdb ${target.database}) or fix DATABASE_URL.`
                : code === '53300' || code === '57P03'
                  ? `the server is not accepting connections now: ${serverSays}`
                  : raw.includes('client password must be a string')
                    ? `the server asks user "${target.user}" for a password and DATABASE_URL has none.`
                    : `${serverSays}${code !== undefined ? ` (${code})` : ''}`;
  return new OperatorError(`${intro}: ${problem}`, { cause: error });
}

const SQLITE_OPEN_CODES = new Set(['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EEXIST', 'EISDIR', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM']);

/** SQLite: a path that cannot be created or opened, or a file that is not (or no longer) a database. */
export function explainSqliteError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return error;
  const intro = `cannot open the SQLite database ${file}`;
  if (code === 'SQLITE_NOTADB') return new OperatorError(`${intro}: it is not a SQLite database. Check DATABASE_URL or DATA_DIR.`, { cause: error });
  if (code === 'SQLITE_CORRUPT') return new OperatorError(`${intro}: the file is damaged. Restore it from a backup.`, { cause: error });
  if (SQLITE_OPEN_CODES.has(code)) {
    return new OperatorError(`${intro} (${code}). Check that DATA_DIR (or the DATABASE_URL path) is a folder this user may write to.`, { cause: error });
  }
  return error;
}
