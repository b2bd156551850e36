import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/core/package-root.js';

export const BIN = path.join(packageRoot(), 'bin', 'integration-hub.js');

/**
 * CLI tests run the built program, as users do; `npm test` builds first. Tests whose child
 * processes import other built modules name them (paths from the package root, e.g.
 * 'dist/src/queue/worker.js'), so a dist/ built before those modules existed fails clearly.
 */
export function assertBuilt(...modules: string[]): void {
  for (const file of ['dist/src/cli.js', ...modules]) {
    if (!existsSync(path.join(packageRoot(), file))) {
      throw new Error(`${file} is missing: run \`npm run build\` (npm test does it for you) before tests that run the built program.`);
    }
  }
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment a child hub gets: this process's PATH and nothing of our own config. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', ...env };
}

/** Starts the CLI in a child process; `done` resolves when it exits. */
export function runCli(args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<Finished>; output(): string } {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Finished>((resolve) => {
    child.on('exit', (code, signal) => {
      // Let the pipes drain before reporting.
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
  return { child, done, output: () => stdout + stderr };
}

/** Polls a URL until it answers 200 or the time runs out. */
export async function waitForOk(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}
