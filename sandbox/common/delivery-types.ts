import type { SandboxClock } from './clock.js';
import type { FaultPlan } from './faults.js';

/** Types of the webhook dispatcher (re-exported by webhook-dispatcher.ts, import them from there). */

/** One webhook a stand-in wants sent. The vendor builds the body and knows how to sign it. */
export interface OutgoingDelivery {
  /** Stable across retries (the receiver dedupes on it). */
  deliveryId: string;
  subscriptionId: string;
  url: string;
  eventType: string;
  /** The exact bytes (UTF-8) that are sent and signed (the first attempt's, when `render` is set). */
  body: string;
  /**
   * Builds the body for an attempt made at sandbox time `now`, for vendors whose envelope
   * carries the send time (Linear's `webhookTimestamp`, which receivers check within 60 s).
   * Without it every attempt sends `body` unchanged.
   */
  render?(now: number): string;
  /** Vendor headers for one attempt, signature included; `corrupt` → a signature that won't verify. */
  sign(body: string, opts: { corrupt: boolean }): Record<string, string>;
  /**
   * Deliveries sharing a key go out one at a time in dispatch order: a later one waits while an
   * earlier one is being retried (PagerDuty: per subscription and incident, API-NOTES §3.5).
   * Without a key a delivery goes out at once.
   */
  orderingKey?: string;
}

export interface DeliveryAttempt {
  deliveryId: string;
  subscriptionId: string;
  url: string;
  eventType: string;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  /** Sandbox-clock time the attempt started. */
  at: number;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status?: number;
  error?: string;
  /** Real milliseconds until the response head, the error or the timeout. */
  durationMs: number;
  /** delivered = 2xx; failed = will be retried; dropped = final failure (no more retries). */
  outcome: 'delivered' | 'failed' | 'dropped';
}

export interface DispatcherOptions {
  clock: SandboxClock;
  faults: FaultPlan;
  /** Per-attempt timeout (default 5000 ms, both vendors' documented limit). */
  timeoutMs?: number;
  /** Delays before retry 1, 2, …; after the last one a failure is final. Real-time setTimeout. */
  retryScheduleMs: number[];
  onFinalFailure?(d: OutgoingDelivery): void;
  onSuccess?(d: OutgoingDelivery): void;
  /** Whether a failed attempt may be retried (default: always). A false answer drops it at once. */
  shouldRetry?(result: { status?: number; error?: string }): boolean;
  /** Keeps the newest N attempts for attempts() (default 10 000). */
  maxAttemptsKept?: number;
}
