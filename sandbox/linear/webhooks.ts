import { createHmac, randomUUID } from 'node:crypto';
import type { SandboxClock } from '../common/clock.js';
import type { FaultPlan } from '../common/faults.js';
import { WebhookDispatcher, type OutgoingDelivery } from '../common/webhook-dispatcher.js';
import type { ChangeEvent } from './domain/events.js';
import type { LinearState, Webhook } from './state.js';

/** Linear's retry schedule: 1 min, 1 h, 6 h after the first failure (API-NOTES §3.1). */
export const LINEAR_RETRY_SCHEDULE_MS = [60_000, 3_600_000, 21_600_000];

export interface LinearWebhookOptions {
  state: LinearState;
  clock: SandboxClock;
  faults: FaultPlan;
  retryScheduleMs: number[];
  /** Per-attempt timeout: 5 s like Linear (API-NOTES §3.1). */
  timeoutMs: number;
  /** Disable a webhook after this many deliveries in a row were dropped (null = never). */
  disableAfterDrops: number | null;
}

/** Lower-case hex HMAC-SHA256 of the exact body bytes with the webhook's secret (API-NOTES §3.3). */
export function linearSignature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/**
 * Turns change events into signed deliveries: one per matching webhook — same workspace,
 * enabled, the event's type in `resourceTypes`, and the event's team (or allPublicTeams).
 * `webhookTimestamp` is the send time of each attempt, so a retry passes the receiver's 60 s
 * replay check (API-NOTES §3.3); the `Linear-Delivery` id stays the same across retries.
 */
export class LinearWebhookSender {
  readonly dispatcher: WebhookDispatcher;
  private readonly drops = new Map<string, number>();
  private stale = { count: 0, ageMs: 0 };

  constructor(private readonly o: LinearWebhookOptions) {
    this.dispatcher = new WebhookDispatcher({
      clock: o.clock,
      faults: o.faults,
      timeoutMs: o.timeoutMs,
      retryScheduleMs: o.retryScheduleMs,
      onSuccess: (d) => this.drops.delete(d.subscriptionId),
      onFinalFailure: (d) => this.dropped(d.subscriptionId),
    });
  }

  emit(event: ChangeEvent): void {
    for (const webhook of this.o.state.webhooks.values()) {
      if (!matches(webhook, event)) continue;
      this.dispatcher.dispatch(this.delivery(webhook, event));
    }
  }

  /** The next `count` deliveries carry a webhookTimestamp `ageMs` in the past (replay-check tests). */
  sendStaleTimestamps(count: number, ageMs: number): void {
    this.stale = { count, ageMs };
  }

  forget(webhookId: string): void {
    this.dispatcher.discard((d) => d.subscriptionId === webhookId);
  }

  reset(): void {
    this.dispatcher.reset();
    this.drops.clear();
    this.stale = { count: 0, ageMs: 0 };
  }

  private delivery(webhook: Webhook, event: ChangeEvent): OutgoingDelivery {
    let timestamp = this.o.clock.now();
    if (this.stale.count > 0) {
      this.stale.count -= 1;
      timestamp -= this.stale.ageMs;
    }
    // Envelope field order as in Linear's captures (API-NOTES §3.4).
    const render = (webhookTimestamp: number) => JSON.stringify({
      action: event.action,
      type: event.type,
      actor: event.actor ?? undefined,
      createdAt: new Date(event.createdAt).toISOString(),
      data: event.data,
      updatedFrom: event.updatedFrom,
      url: event.url,
      organizationId: event.organizationId,
      webhookId: webhook.id,
      webhookTimestamp,
    });
    const state = this.o.state;
    const deliveryId = randomUUID();
    return {
      deliveryId,
      subscriptionId: webhook.id,
      url: webhook.url,
      eventType: event.type,
      body: render(timestamp),
      render,
      // Signed with the webhook's secret at the time of the attempt: a rotated secret applies at once.
      sign: (bytes, { corrupt }) => {
        const secret = state.webhooks.get(webhook.id)?.secret ?? webhook.secret;
        return {
          'Accept-Charset': 'utf-8',
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Linear-Webhook',
          'Linear-Delivery': deliveryId,
          'Linear-Event': event.type,
          'Linear-Signature': linearSignature(bytes, corrupt ? `${secret}-corrupted` : secret),
        };
      },
    };
  }

  /** "Persistently failing webhooks may be disabled" (API-NOTES §3.1): after N drops in a row. */
  private dropped(webhookId: string): void {
    const count = (this.drops.get(webhookId) ?? 0) + 1;
    this.drops.set(webhookId, count);
    const webhook = this.o.state.webhooks.get(webhookId);
    if (webhook && this.o.disableAfterDrops !== null && count >= this.o.disableAfterDrops) {
      webhook.enabled = false;
      webhook.updatedAt = this.o.clock.now();
      this.forget(webhookId);
    }
  }
}

function matches(webhook: Webhook, event: ChangeEvent): boolean {
  return (
    webhook.enabled &&
    webhook.organizationId === event.organizationId &&
    webhook.resourceTypes.includes(event.type) &&
    (webhook.teamId === event.teamId || (event.previousTeamId !== undefined && webhook.teamId === event.previousTeamId) || (webhook.teamId === null && webhook.allPublicTeams))
  );
}
