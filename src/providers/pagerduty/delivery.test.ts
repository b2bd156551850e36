import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { parsePagerDutyDelivery, verifyPagerDutySignature } from './delivery.js';

const secret = 'whsec_test';
const body = Buffer.from('{"hello":"world"}');
const sign = (key: string, bytes: Buffer) => createHmac('sha256', key).update(bytes).digest('hex');
const headers = (signature: string | undefined) => (name: string) => (name === 'x-pagerduty-signature' ? signature : undefined);
const codeOf = (result: { ok: true } | { ok: false; code: string }) => (result.ok ? undefined : result.code);

describe('PagerDuty signatures', () => {
  test('accepts any matching v1 signature of a comma-separated list (secret rotation)', () => {
    const good = `v1=${sign(secret, body)}`;
    expect(codeOf(verifyPagerDutySignature(body, headers(good), secret))).toBeUndefined();
    expect(codeOf(verifyPagerDutySignature(body, headers(`v1=${sign('old', body)}, ${good}`), secret))).toBeUndefined();
  });
  test('ignores other versions and refuses when no v1 matches', () => {
    expect(codeOf(verifyPagerDutySignature(body, headers(`v2=${sign(secret, body)}`), secret))).toBe('signature_invalid');
    expect(codeOf(verifyPagerDutySignature(body, headers(`v1=${sign('old', body)}`), secret))).toBe('signature_invalid');
    expect(codeOf(verifyPagerDutySignature(body, headers(sign(secret, body)), secret))).toBe('signature_invalid');
    expect(codeOf(verifyPagerDutySignature(body, headers(undefined), secret))).toBe('signature_missing');
  });
});

describe('PagerDuty deliveries as provider-neutral events', () => {
  const envelope = (event: Record<string, unknown>) => JSON.stringify({ event: { id: 'EVT1', occurred_at: '2027-01-15T08:00:00.000Z', ...event } });

  test('an incident event: the incident is entity and subject; the agent is the actor; the event id is signed', () => {
    const parsed = parsePagerDutyDelivery(
      envelope({
        event_type: 'incident.acknowledged',
        resource_type: 'incident',
        agent: { id: 'PUSR1', summary: 'Tenex Engineer', type: 'user_reference' },
        data: { id: 'PINC1', type: 'incident', number: 7, title: 'Checkout is slow' },
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        event: {
          eventType: 'incident.acknowledged',
          eventKind: 'updated',
          entityType: 'incident',
          entityKind: 'incident',
          entityId: 'PINC1',
          label: '#7 Checkout is slow',
          subject: { kind: 'incident', id: 'PINC1' },
          actor: { id: 'PUSR1', name: 'Tenex Engineer' },
          occurredAt: Date.parse('2027-01-15T08:00:00.000Z'),
          accountId: null,
        },
        signedEventId: 'EVT1',
      },
    });
  });

  test('a note is about its incident; triggered creates; automation has no actor', () => {
    const note = parsePagerDutyDelivery(envelope({ event_type: 'incident.annotated', agent: null, data: { id: 'NOTE1', type: 'incident_note', incident: { id: 'PINC1' } } }));
    expect(note.ok && note.value.event).toMatchObject({ entityKind: 'incident', entityId: 'PINC1', eventKind: 'commented', actor: null });
    const triggered = parsePagerDutyDelivery(envelope({ event_type: 'incident.triggered', data: { id: 'PINC2', type: 'incident' } }));
    expect(triggered.ok && triggered.value.event.eventKind).toBe('created');
    const ping = parsePagerDutyDelivery(envelope({ event_type: 'pagey.ping', resource_type: 'pagey', data: { message: 'Hello', type: 'ping' } }));
    expect(ping.ok && ping.value.event).toMatchObject({ entityKind: 'other', eventKind: 'other', entityType: 'ping', entityId: 'EVT1' });
  });

  test('refuses a body without an event or an event_type', () => {
    expect(codeOf(parsePagerDutyDelivery('{'))).toBe('invalid_delivery');
    expect(codeOf(parsePagerDutyDelivery(JSON.stringify({ messages: [] })))).toBe('invalid_delivery');
    expect(codeOf(parsePagerDutyDelivery(JSON.stringify({ event: { id: 'x', data: { id: 'PX', type: 'incident' } } })))).toBe('invalid_delivery');
  });
});
