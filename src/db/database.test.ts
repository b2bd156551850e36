import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

const posix = process.platform !== 'win32';
const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('SQLite files at rest', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(posix)('creates DATA_DIR 0700 and the database (and its WAL files) 0600', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'hub-db-mode-'));
    dirs.push(parent);
    const dataDir = path.join(parent, 'data');
    const file = path.join(dataDir, 'hub.db');
    const database = await openDatabase({ dialect: 'sqlite', file, synchronous: 'NORMAL' });
    try {
      await sql`create table t (x integer)`.execute(database.db);
      await sql`insert into t values (1)`.execute(database.db);
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
    } finally {
      await database.close();
    }
  });
});

describe('SQLite opened while another process holds the file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  // Two hubs started at once on one new file failed start-up with "database is locked": switching
  // to WAL while another connection is about to write is a deadlock SQLite answers with
  // SQLITE_BUSY at once, without waiting in its busy handler.
  it('waits for the other process instead of failing with SQLITE_BUSY', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hub-db-busy-'));
    dirs.push(dir);
    const file = path.join(dir, 'hub.db');
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(file)});
         db.exec('begin immediate'); db.exec('create table t (x integer)');
         process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('commit'); db.close(); }, 700);`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = once(holder, 'exit');
    await once(holder.stdout, 'data'); // the other process holds a write lock now
    const database = await openDatabase({ dialect: 'sqlite', file, synchronous: 'NORMAL' });
    try {
      const rows = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      expect(rows.rows[0]?.journal_mode).toBe('wal');
    } finally {
      await database.close();
    }
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
