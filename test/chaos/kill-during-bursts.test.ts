/**
 * The chaos run of bench/chaos in its small form (issue 13 item 4): the stand-ins in their own
 * process, the built hub as a child process (its first start on the empty database killed once
 * part-way), two-way sync set up, bursts of vendor activity while the hub is killed with SIGKILL
 * four times (and started again each time). The script checks —
 * from the stand-ins' delivery logs, the vendors' state and the database — that every delivery
 * answered 2xx is stored once and processed by one job that succeeded, and that every issue that
 * pages has one incident, every comment one note, every note one comment, every acknowledged
 * incident's issue In Progress; here we run it and read its report. SQLite always; PostgreSQL when TEST_DATABASE_URL is set (required with CI=true).
 * Most of the time is the drain: a job whose process was killed runs again when its 55 s lease
 * runs out (docs/queue.md), so the two databases run side by side.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { assertBuilt } from '../helpers/cli.js';
import { testDialects } from '../helpers/databases.js';

const KILLS = 4;

interface ChaosResult {
  dialect: string;
  kills: number;
  killedBySigkill: number;
  killedDuringFirstStart: number;
  answered2xx: number;
  stored: number;
  processed: number;
  issuesThatPage: number;
  incidentsPerIssue: { 0: number; 1: number; more: number };
  violations: string[];
}

function runChaosScript(dialect: string, reportFile: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['bench/chaos/run.mjs', '--quick', '--dialects', dialect, '--kills', String(KILLS), '--issues', '12', '--json', reportFile],
    // Stopped (with its hub and stand-ins) before the test's own timeout, so nothing is left running.
    { cwd: packageRoot(), env: process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 230_000, killSignal: 'SIGTERM' },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('kill -9 during bursts of deliveries (bench/chaos, small)', () => {
  it.concurrent.each(testDialects())('on %s: nothing acknowledged is lost, nothing is done twice', { timeout: 240_000 }, async (dialect) => {
    assertBuilt('dist/sandbox/index.js', 'dist/src/db/database.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'hub-chaos-test-'));
    try {
      const reportFile = path.join(dir, 'report.json');
      const { code, output } = await runChaosScript(dialect, reportFile);
      expect(code, output).toBe(0);
      const [result] = (JSON.parse(readFileSync(reportFile, 'utf8')) as { results: ChaosResult[] }).results;
      expect(result?.violations, output).toEqual([]);
      // The run did what it says: every kill was a SIGKILL, deliveries were acknowledged and
      // issues paged, so the checks above had something to check.
      expect(result).toMatchObject({ dialect, kills: KILLS, killedBySigkill: KILLS, killedDuringFirstStart: 1 });
      expect(result!.answered2xx).toBeGreaterThan(0);
      expect(result!.processed).toBe(result!.answered2xx);
      expect(result!.stored).toBe(result!.answered2xx);
      expect(result!.issuesThatPage).toBeGreaterThan(0);
      expect(result!.incidentsPerIssue.more).toBe(0);
      process.stdout.write(`${output.split('\n').filter((line) => line.startsWith('|')).join('\n')}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
