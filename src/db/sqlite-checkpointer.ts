import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background thread checkpoints the WAL (nothing is written when nothing is new). */
const CHECKPOINT_INTERVAL_MS = 100;

/**
 * The thread's code (plain CommonJS: it runs from source under the tests as well as from dist/).
 * Its own connection to the file; a PASSIVE checkpoint never waits for, nor blocks, the
 * process's writer and readers — it copies what it can and leaves the rest for the next round.
 */
const THREAD_CODE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = ' + workerData.synchronous);
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.get(); } catch { /* busy or locked: the next round */ }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/**
 * Checkpoints an on-disk SQLite database's WAL from a thread of its own. A checkpoint copies
 * the WAL's pages into the database file and (synchronous NORMAL or FULL) fsyncs both; done by
 * the connection that commits (SQLite's automatic checkpoint), that work and those fsyncs stall
 * the event loop of whichever request commits at the time — about half of the time the intake
 * spent per stored delivery (docs/benchmarks.md). The connection's own automatic checkpoint
 * stays on, at a higher threshold, as the fallback should this thread fall behind or fail.
 * Durability does not depend on it: a commit is durable once in the WAL.
 */
export function startWalCheckpointer(options: { file: string; synchronous: string; busyTimeoutMs: number }): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD_CODE, {
    eval: true,
    workerData: { ...options, driver, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  // A thread that fails (e.g. cannot open the file) leaves checkpoints to the connection itself.
  worker.on('error', () => undefined);
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      worker.postMessage('stop');
      // Exits after closing its connection; if it is stuck, it is ended after a while.
      const timeout = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
