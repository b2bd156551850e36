import type { DeliveryAttempt, DispatcherOptions, OutgoingDelivery } from './delivery-types.js';
import type { DeliveryFaultSpec } from './faults.js';
import { postOnce, type PostResult } from './http-post.js';

export type { DeliveryAttempt, DispatcherOptions, OutgoingDelivery } from './delivery-types.js';

interface Job {
  delivery: OutgoingDelivery;
  corrupt: boolean;
  attempt: number;
  timer?: NodeJS.Timeout;
  /** Parked by a 'reorder' fault: released by the next dispatch (or its hold timer). */
  untilNext?: boolean;
}

const DEFAULT_HOLD_MS = 1000;

/**
 * Sends webhook deliveries in the background with retries. Contract: 2xx = delivered; any other
 * status, a connection error or a timeout = failed; a failure after the last scheduled retry
 * (or one `shouldRetry` refuses) = dropped → onFinalFailure. Delivery faults apply at dispatch.
 */
export class WebhookDispatcher {
  private readonly log: DeliveryAttempt[] = [];
  private readonly lanes = new Map<string, Job[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Jobs held back by a 'delay' or 'reorder' fault. */
  private parked: Job[] = [];
  private inFlight = new Set<AbortController>();
  private busy = 0;
  private waiters: Array<() => void> = [];
  private generation = 0;

  constructor(private readonly options: DispatcherOptions) {}

  /** Queues a delivery (fire and forget), applying the next delivery fault if one is queued. */
  dispatch(delivery: OutgoingDelivery): void {
    const fault = this.options.faults.takeDeliveryFault();
    const job: Job = { delivery, corrupt: fault?.kind === 'bad_signature', attempt: 1 };
    const released = this.parked.filter((p) => p.untilNext);
    if (fault?.kind === 'lost') {
      // Never sent: nothing to deliver, retry or count.
    } else if (fault?.kind === 'reorder' || fault?.kind === 'delay') {
      this.park(job, fault);
    } else {
      this.enqueue(job);
      if (fault?.kind === 'duplicate') this.enqueue({ ...job });
    }
    // A reordered delivery goes out right after the next one dispatched.
    for (const p of released) this.unpark(p);
  }

  attempts(): DeliveryAttempt[] {
    return [...this.log];
  }

  /** Resolves once nothing is held, queued, in flight or waiting for a retry. */
  idle(): Promise<void> {
    return this.busy === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Forgets queued and retry-waiting deliveries that match (e.g. a subscription that was disabled
   * or deleted). In-flight attempts finish. Returns how many were discarded.
   */
  discard(match: (d: OutgoingDelivery) => boolean): number {
    let count = 0;
    const keep = (job: Job, index: number) => {
      // The head of a lane is in flight unless it is waiting on a retry timer.
      if (!match(job.delivery) || (index === 0 && job.timer === undefined)) return true;
      if (job.timer) this.clear(job.timer);
      count += 1;
      this.settle();
      return false;
    };
    for (const [key, lane] of this.lanes) {
      const headWasKept = lane.length > 0 && keep(lane[0]!, 0);
      const rest = lane.slice(1).filter((job) => keep(job, 1));
      const next = headWasKept ? [lane[0]!, ...rest] : rest;
      if (next.length === 0) this.lanes.delete(key);
      else this.lanes.set(key, next);
      if (!headWasKept && next.length > 0) void this.run(key, next[0]!);
    }
    this.parked = this.parked.filter((job) => keep(job, 1));
    return count;
  }

  /** Cancels everything (timers, in-flight requests) and forgets all attempts. */
  reset(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
    this.lanes.clear();
    this.parked = [];
    this.log.length = 0;
    this.busy = 0;
    this.wake();
  }

  async close(): Promise<void> {
    this.reset();
  }

  private park(job: Job, fault: DeliveryFaultSpec): void {
    this.busy += 1;
    if (fault.kind === 'reorder') job.untilNext = true;
    this.parked.push(job);
    job.timer = this.later(fault.delayMs ?? DEFAULT_HOLD_MS, () => this.unpark(job));
  }

  private unpark(job: Job): void {
    const index = this.parked.indexOf(job);
    if (index < 0) return;
    this.parked.splice(index, 1);
    if (job.timer) this.clear(job.timer);
    delete job.timer;
    delete job.untilNext;
    this.enqueue(job, false);
  }

  /** Adds a job to its lane and starts it if the lane was idle. `count` = it is new work. */
  private enqueue(job: Job, count = true): void {
    if (count) this.busy += 1;
    const key = job.delivery.orderingKey ?? `\u0000${Math.random()}`;
    const lane = this.lanes.get(key);
    if (lane) {
      lane.push(job);
      return;
    }
    this.lanes.set(key, [job]);
    void this.run(key, job);
  }

  private async run(key: string, job: Job): Promise<void> {
    const generation = this.generation;
    const { delivery } = job;
    const at = this.options.clock.now();
    const body = job.attempt === 1 || delivery.render === undefined ? delivery.body : delivery.render(at);
    const headers = { 'Content-Type': 'application/json', ...delivery.sign(body, { corrupt: job.corrupt }) };
    const controller = new AbortController();
    this.inFlight.add(controller);
    const result = await postOnce(delivery.url, headers, body, this.options.timeoutMs ?? 5000, controller.signal);
    this.inFlight.delete(controller);
    if (generation !== this.generation) return;
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    const delay = this.options.retryScheduleMs[job.attempt - 1];
    const retry = !ok && delay !== undefined && (this.options.shouldRetry?.(retryInput(result)) ?? true);
    this.record(job, at, headers, body, result, ok ? 'delivered' : retry ? 'failed' : 'dropped');
    if (retry) {
      job.attempt += 1;
      job.timer = this.later(delay, () => {
        delete job.timer;
        void this.run(key, job);
      });
      return;
    }
    if (ok) this.options.onSuccess?.(delivery);
    else this.options.onFinalFailure?.(delivery);
    this.finishHead(key);
  }

  private finishHead(key: string): void {
    const lane = this.lanes.get(key);
    lane?.shift();
    if (!lane || lane.length === 0) this.lanes.delete(key);
    else void this.run(key, lane[0]!);
    this.settle();
  }

  private record(
    job: Job,
    at: number,
    headers: Record<string, string>,
    body: string,
    result: PostResult,
    outcome: DeliveryAttempt['outcome'],
  ): void {
    const { delivery } = job;
    const attempt: DeliveryAttempt = {
      deliveryId: delivery.deliveryId,
      subscriptionId: delivery.subscriptionId,
      url: delivery.url,
      eventType: delivery.eventType,
      attempt: job.attempt,
      at,
      requestHeaders: headers,
      requestBody: body,
      durationMs: result.durationMs,
      outcome,
    };
    if (result.status !== undefined) attempt.status = result.status;
    if (result.error !== undefined) attempt.error = result.error;
    this.log.push(attempt);
    const max = this.options.maxAttemptsKept ?? 10_000;
    if (this.log.length > max) this.log.splice(0, this.log.length - max);
  }

  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private clear(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private settle(): void {
    this.busy = Math.max(0, this.busy - 1);
    if (this.busy === 0) this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

function retryInput(result: PostResult): { status?: number; error?: string } {
  const out: { status?: number; error?: string } = {};
  if (result.status !== undefined) out.status = result.status;
  if (result.error !== undefined) out.error = result.error;
  return out;
}
