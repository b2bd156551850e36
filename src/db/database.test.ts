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
