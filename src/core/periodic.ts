/**
 * A background pass run every `intervalMs` (never two at once: passes queue behind each other),
 * and on demand through `runOnce` (tests; the timer is off with 0). A failed timed pass goes to
 * `onError` and the next one still runs; `runOnce` hands its failure to the caller. `stop` ends
 * the timer, tells the running pass through `isStopped`, and waits for it.
 */
export interface PeriodicTask<T> {
  runOnce(): Promise<T>;
  stop(): Promise<void>;
}

export function startPeriodic<T>(
  pass: (isStopped: () => boolean) => Promise<T>,
  intervalMs: number,
  onError: (error: unknown) => void,
): PeriodicTask<T> {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const isStopped = () => stopped;
  const tick = () => {
    running = running.then(() => pass(isStopped)).catch(onError);
  };
  const timer = intervalMs > 0 ? setInterval(tick, intervalMs) : undefined;
  timer?.unref();
  return {
    runOnce: () => {
      const run = running.then(() => pass(isStopped));
      running = run.catch(() => undefined);
      return run;
    },
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
