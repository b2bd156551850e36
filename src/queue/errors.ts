/**
 * How a handler says what should happen next, besides succeeding or throwing:
 * - throw {@link DeferJob} to run later without using an attempt (e.g. the connection is
 *   Disconnected: the work waits, paused, for a reconnect);
 * - throw {@link RetryJobAfter} to retry after at least a delay (e.g. an outage's Retry-After);
 * - throw {@link PermanentJobError} when retrying cannot help (the job goes dead at once).
 * Any other error is a failed attempt with exponential backoff.
 */
export class DeferJob extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
    /** What it waits for (see JobQueue.resumeWaiting), if an event can end the wait early. */
    readonly waitingFor: string | null = null,
  ) {
    super(message);
    this.name = 'DeferJob';
  }
}

export class RetryJobAfter extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryJobAfter';
  }
}

export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
