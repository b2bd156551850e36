import { useEffect } from 'react';

/**
 * Calls `tick` every `intervalMs` while `on` and the browser tab is visible. Hidden, it stops;
 * visible again, it ticks at once (to catch up) and keeps going. `tick` should be stable
 * (useCallback): a new one restarts the interval.
 */
export function useVisibleInterval(tick: () => void, intervalMs: number, on: boolean): void {
  useEffect(() => {
    if (!on) return undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      timer ??= setInterval(tick, intervalMs);
    };
    const stop = () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    };
    const visibilityChanged = () => {
      if (document.visibilityState === 'hidden') {
        stop();
        return;
      }
      tick();
      start();
    };
    if (document.visibilityState !== 'hidden') start();
    document.addEventListener('visibilitychange', visibilityChanged);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', visibilityChanged);
    };
  }, [tick, intervalMs, on]);
}
