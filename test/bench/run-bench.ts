import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/core/package-root.js';
import { assertBuilt } from '../helpers/cli.js';

export interface BenchRun<Report> {
  /** The script's exit code (null: killed after `timeoutMs`). */
  code: number | null;
  /** stdout and stderr together, as a person reads them. */
  output: string;
  /** What the script wrote with `--json` (undefined when it wrote nothing). */
  report: Report | undefined;
  /** The files named in `options.read`, as the script left them in the run's folder (undefined: absent). */
  files: Record<string, string | undefined>;
}

/**
 * Runs a bench script against the built hub (`node <script> <args> --json <file>`, from the
 * package root, with no environment but PATH) and returns its exit code, its output, its JSON
 * report and the files it was asked to write in the run's folder (`args` gets that folder),
 * which is removed afterwards.
 */
export async function runBench<Report>(
  script: string,
  args: (dir: string) => string[],
  options: { timeoutMs?: number; read?: string[] } = {},
): Promise<BenchRun<Report>> {
  assertBuilt('dist/src/main.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-bench-smoke-'));
  try {
    const reportFile = path.join(dir, 'report.json');
    const child = spawn(process.execPath, [script, ...args(dir), '--json', reportFile], {
      cwd: packageRoot(),
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 110_000,
      killSignal: 'SIGTERM',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const readIfThere = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
    const json = readIfThere(reportFile);
    const files = Object.fromEntries((options.read ?? []).map((name) => [name, readIfThere(path.join(dir, name))]));
    return { code, output, report: json === undefined ? undefined : (JSON.parse(json) as Report), files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
