import { z } from 'zod';

/**
 * Fault injection shared by the stand-ins. Faults are queued by `POST /_sandbox/faults` and
 * consumed one by one: each API call that matches takes one unit of `count`; each outgoing
 * webhook delivery takes one unit of the first delivery fault.
 */
export type ApiFaultKind = '429' | '500' | 'timeout';
/**
 * `lost`: the delivery is never sent — one the vendor gave up on after its retries, or lost on
 * the way — and the vendor counts nothing against the webhook (the hub's reconciliation finds it).
 */
export type DeliveryFaultKind = 'duplicate' | 'reorder' | 'delay' | 'bad_signature' | 'lost';

export interface ApiFaultSpec {
  kind: ApiFaultKind;
  /** How many matching calls answer with this fault. */
  count: number;
  /** Only calls with this method (case-insensitive) match; default any. */
  method?: string;
  /** Only calls whose path starts with this match; default any. */
  pathPrefix?: string;
  /** For '429': the vendor's reset/retry-after value in seconds (vendor decides the header). */
  retryAfterSeconds?: number;
}

export interface DeliveryFaultSpec {
  kind: DeliveryFaultKind;
  /** How many deliveries are affected. */
  count: number;
  /** For 'delay': how long to hold the delivery; for 'reorder': how long to wait for a later one. */
  delayMs?: number;
}

const apiFaultSchema = z.strictObject({
  kind: z.enum(['429', '500', 'timeout']),
  count: z.number().int().min(1).max(100_000),
  method: z.string().min(1).max(10).optional(),
  pathPrefix: z.string().startsWith('/').max(500).optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
});

const deliveryFaultSchema = z.strictObject({
  kind: z.enum(['duplicate', 'reorder', 'delay', 'bad_signature', 'lost']),
  count: z.number().int().min(1).max(100_000),
  delayMs: z.number().int().min(0).max(600_000).optional(),
});

/** Body of `POST /_sandbox/faults`. */
export const faultsBodySchema = z.strictObject({
  api: z.array(apiFaultSchema).max(100).optional(),
  deliveries: z.array(deliveryFaultSchema).max(100).optional(),
});
export type FaultsBody = z.infer<typeof faultsBodySchema>;

export class FaultPlan {
  private api: ApiFaultSpec[] = [];
  private deliveries: DeliveryFaultSpec[] = [];

  addApiFault(spec: ApiFaultSpec): void {
    this.api.push({ ...spec });
  }

  /** Consumes one unit of the first queued fault matching this call, if any. */
  takeApiFault(method: string, path: string): ApiFaultSpec | undefined {
    const index = this.api.findIndex(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()) &&
        (f.pathPrefix === undefined || path.startsWith(f.pathPrefix)),
    );
    return index < 0 ? undefined : take(this.api, index);
  }

  addDeliveryFault(spec: DeliveryFaultSpec): void {
    this.deliveries.push({ ...spec });
  }

  /** Consumes one unit of the first queued delivery fault, if any. */
  takeDeliveryFault(): DeliveryFaultSpec | undefined {
    return this.deliveries.length === 0 ? undefined : take(this.deliveries, 0);
  }

  /** What is still queued (copies; `count` = remaining units). */
  list(): { api: ApiFaultSpec[]; deliveries: DeliveryFaultSpec[] } {
    return { api: this.api.map((f) => ({ ...f })), deliveries: this.deliveries.map((f) => ({ ...f })) };
  }

  reset(): void {
    this.api = [];
    this.deliveries = [];
  }
}

function take<T extends { count: number }>(queue: T[], index: number): T {
  const spec = queue[index]!;
  spec.count -= 1;
  if (spec.count <= 0) queue.splice(index, 1);
  return { ...spec, count: 1 };
}
