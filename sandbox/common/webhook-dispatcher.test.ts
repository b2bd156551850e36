import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './testing.js';
import { SandboxClock } from './clock.js';
import { FaultPlan } from './faults.js';
import { WebhookDispatcher, type OutgoingDelivery } from './webhook-dispatcher.js';

let rx: Receiver;
let faults: FaultPlan;
let dispatcher: WebhookDispatcher;
const dropped: string[] = [];
beforeEach(async () => {
  rx = await startReceiver();
  faults = new FaultPlan();
  dropped.length = 0;
  dispatcher = new WebhookDispatcher({ clock: new SandboxClock(), faults, timeoutMs: 200, retryScheduleMs: [20, 20], onFinalFailure: (d) => dropped.push(d.deliveryId) });
});
afterEach(async () => {
  await dispatcher.close();
  await rx.close();
});

function delivery(id: string, orderingKey?: string): OutgoingDelivery {
  return { deliveryId: id, subscriptionId: 'S1', url: rx.url, eventType: 'e', body: JSON.stringify({ id }), sign: (_b, o) => ({ 'X-Sig': o.corrupt ? 'bad' : 'good' }), ...(orderingKey ? { orderingKey } : {}) };
}
const ids = () => rx.received.map((r) => JSON.parse(r.body).id as string);

describe('WebhookDispatcher', () => {
  it('retries on the schedule, then drops and calls onFinalFailure; idle() waits for all of it', async () => {
    rx.respond = () => ({ status: 500 });
    dispatcher.dispatch(delivery('d1'));
    await dispatcher.idle();
    expect(dispatcher.attempts().map((a) => [a.attempt, a.outcome])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'dropped']]);
    expect(dropped).toEqual(['d1']);
  });

  it('drops at once when shouldRetry says no', async () => {
    dispatcher = new WebhookDispatcher({ clock: new SandboxClock(), faults, retryScheduleMs: [20], shouldRetry: () => false });
    rx.respond = () => ({ status: 400 });
    dispatcher.dispatch(delivery('d1'));
    await dispatcher.idle();
    expect(dispatcher.attempts().map((a) => a.outcome)).toEqual(['dropped']);
  });

  it('keeps order within an ordering key while retrying', async () => {
    rx.respond = (_r, i) => ({ status: i === 0 ? 503 : 200 });
    dispatcher.dispatch(delivery('a', 'k'));
    dispatcher.dispatch(delivery('b', 'k'));
    await dispatcher.idle();
    expect(ids()).toEqual(['a', 'a', 'b']);
  });

  it('discards queued and retry-waiting deliveries', async () => {
    rx.respond = () => ({ status: 503 });
    dispatcher.dispatch(delivery('a', 'k'));
    dispatcher.dispatch(delivery('b', 'k'));
    await new Promise((r) => setTimeout(r, 10));
    expect(dispatcher.discard((d) => d.subscriptionId === 'S1')).toBeGreaterThanOrEqual(1);
    await dispatcher.idle();
    expect(ids().filter((id) => id === 'b')).toEqual([]);
  });

  it('applies bad_signature and duplicate faults', async () => {
    faults.addDeliveryFault({ kind: 'bad_signature', count: 1 });
    faults.addDeliveryFault({ kind: 'duplicate', count: 1 });
    dispatcher.dispatch(delivery('x'));
    dispatcher.dispatch(delivery('y'));
    await dispatcher.idle();
    expect(rx.received.map((r) => `${(JSON.parse(r.body) as { id: string }).id}:${String(r.headers['x-sig'])}`).sort()).toEqual(['x:bad', 'y:good', 'y:good']);
  });

  it('reset() cancels everything and forgets attempts', async () => {
    rx.respond = () => ({ status: 200, delayMs: 150 });
    dispatcher.dispatch(delivery('slow'));
    dispatcher.reset();
    await dispatcher.idle();
    expect(dispatcher.attempts()).toEqual([]);
  });
});
