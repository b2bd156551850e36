/**
 * The sandbox's notion of time: real time plus an offset that tests move forward with
 * `POST /_sandbox/clock`. Everything time-dependent in a stand-in (code and token expiry,
 * rate-limit windows, timestamps in payloads) MUST read this clock, never Date.now().
 * Retry timers of the webhook dispatcher are the exception: they run on real time.
 */
export class SandboxClock {
  private offsetMs = 0;

  /** @param base the underlying time source in epoch ms (default Date.now). */
  constructor(private readonly base: () => number = Date.now) {}

  /** Milliseconds since the Unix epoch. */
  now(): number {
    return this.base() + this.offsetMs;
  }

  /** Moves time forward by `ms` (>= 0; time never goes back) and returns the new now(). */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${ms}`);
    this.offsetMs += ms;
    return this.now();
  }

  /** Drops the offset: back to real time (only `POST /_sandbox/reset` does this). */
  reset(): void {
    this.offsetMs = 0;
  }

  /** The current offset from real time, for the control API. */
  offset(): number {
    return this.offsetMs;
  }
}
