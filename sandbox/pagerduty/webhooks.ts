import { createHmac, randomUUID } from 'node:crypto';
import type { SandboxClock } from '../common/clock.js';
import type { OutgoingDelivery, WebhookDispatcher } from '../common/webhook-dispatcher.js';
import type { Actor, Incident, Note, WebhookSubscription } from './model.js';
import { hasScope } from './scopes.js';
import type { Wire } from './serializers.js';
import type { PagerDutyState } from './state.js';
import type { Urls } from './urls.js';
import { agentOf, clientOf, envelope, PING_DATA, webhookIncident, webhookNote } from './webhook-payloads.js';

/** What happened to an incident; one event becomes one delivery per matching subscription. */
export interface IncidentEvent {
  type: string;
  incident: Incident;
  actor: Actor;
  /** For incident.annotated: the note (data is then an incident_note, §3.3). */
  note?: Note;
  /** incident.service_updated: the service it left; its subscriptions receive the event too. */
  previousServiceId?: string;
}

const DISABLE_AFTER_DROPS = 3;
const DISABLED_FOR_MS = 24 * 3600 * 1000;

/**
 * Webhooks v3 (API-NOTES §3): matching, envelopes, signing, and the disablement rule. Delivery
 * itself (timeouts, retries, ordering per subscription and incident) is the common dispatcher's.
 */
export class Webhooks {
  constructor(
    private readonly state: PagerDutyState,
    private readonly wire: Wire,
    private readonly urls: Urls,
    private readonly clock: SandboxClock,
    private readonly dispatcher: () => WebhookDispatcher,
  ) {}

  emit(event: IncidentEvent): void {
    this.expireDisablements();
    const service = this.state.services.get(event.incident.serviceId)!;
    const data = event.note
      ? webhookNote(this.state, this.urls, event.incident, event.note)
      : webhookIncident(this.state, this.wire, this.urls, event.incident);
    const body = JSON.stringify(
      envelope(randomUUID(), event.type, 'incident', this.clock.now(), agentOf(this.wire, event.actor), clientOf(event.actor, this.state.settings.webhookClient), data),
    );
    const services = [service, ...(event.previousServiceId ? [this.state.services.get(event.previousServiceId)!] : [])];
    for (const sub of this.state.subscriptions.values()) {
      if (sub.account !== service.account || !sub.active || sub.temporarilyDisabled) continue;
      if (!sub.events.includes(event.type) || !services.some((s) => this.filterMatches(sub, s.id, s.teamIds))) continue;
      // incident.* events reach only subscriptions created with incidents.read (§3.2, DD-WH).
      if (!hasScope(sub.creatorScopes, 'incidents.read')) continue;
      this.send(sub, event.type, body, `${sub.id}:${event.incident.id}`);
    }
  }

  /** POST /webhook_subscriptions/{id}/ping → one `pagey.ping` (§3.3, CODE-WHHDR). */
  ping(sub: WebhookSubscription): void {
    const body = JSON.stringify(envelope(randomUUID(), 'pagey.ping', 'pagey', this.clock.now(), null, null, PING_DATA));
    this.send(sub, 'pagey.ping', body);
  }

  /** The `X-PagerDuty-Signature` value: `v1=<hex HMAC-SHA256>`, one per live secret (§3.4). */
  signature(sub: WebhookSubscription, body: string, corrupt: boolean): string {
    const secrets = sub.previousSecret ? [sub.secret, sub.previousSecret] : [sub.secret];
    return secrets
      .map((secret) => `v1=${createHmac('sha256', corrupt ? `${secret}!corrupt` : secret).update(body, 'utf8').digest('hex')}`)
      .join(',');
  }

  /** Counts drops; 3 in a row disable the subscription for 24 h and drop its queue (§3.5). */
  onFinalFailure(d: OutgoingDelivery): void {
    const sub = this.state.subscriptions.get(d.subscriptionId);
    if (!sub || sub.temporarilyDisabled) return;
    sub.consecutiveDrops += 1;
    if (sub.consecutiveDrops >= DISABLE_AFTER_DROPS) {
      sub.temporarilyDisabled = true;
      sub.disabledUntil = this.clock.now() + DISABLED_FOR_MS;
      sub.consecutiveDrops = 0;
      this.dispatcher().discard((x) => x.subscriptionId === sub.id);
    }
  }

  onSuccess(d: OutgoingDelivery): void {
    const sub = this.state.subscriptions.get(d.subscriptionId);
    if (sub) sub.consecutiveDrops = 0;
  }

  /** Ends temporary disablement whose 24 h are over (sandbox clock). */
  expireDisablements(): void {
    const now = this.clock.now();
    for (const sub of this.state.subscriptions.values()) {
      if (sub.temporarilyDisabled && sub.disabledUntil !== null && now >= sub.disabledUntil) this.enable(sub);
    }
  }

  enable(sub: WebhookSubscription): void {
    sub.temporarilyDisabled = false;
    sub.disabledUntil = null;
    sub.consecutiveDrops = 0;
  }

  private filterMatches(sub: WebhookSubscription, serviceId: string, teamIds: string[]): boolean {
    if (sub.filter.type === 'account_reference') return true;
    if (sub.filter.type === 'service_reference') return sub.filter.id === serviceId;
    return sub.filter.id !== null && teamIds.includes(sub.filter.id);
  }

  private send(sub: WebhookSubscription, eventType: string, body: string, orderingKey?: string): void {
    const delivery: OutgoingDelivery = {
      deliveryId: randomUUID(),
      subscriptionId: sub.id,
      url: sub.url,
      eventType,
      body,
      // Headers per §3.4 (CODE-WHHDR); the subscription's custom headers go out unredacted.
      sign: (raw, opts) => {
        const headers: Record<string, string> = {};
        for (const h of sub.customHeaders) headers[h.name] = h.value;
        return {
          ...headers,
          'Content-Type': 'application/json',
          'User-Agent': 'PagerDuty-Webhook/V3.0',
          'X-Webhook-Id': delivery.deliveryId,
          'X-Webhook-Subscription': sub.id,
          'X-PagerDuty-Signature': this.signature(sub, raw, opts.corrupt),
        };
      },
    };
    if (orderingKey !== undefined) delivery.orderingKey = orderingKey;
    this.dispatcher().dispatch(delivery);
  }
}
