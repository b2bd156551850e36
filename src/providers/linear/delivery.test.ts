import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { checkLinearTimestamp, parseLinearDelivery, verifyLinearSignature } from './delivery.js';

const secret = 'whsec_test';
const body = Buffer.from('{"hello":"world"}');
const sign = (key: string, bytes: Buffer) => createHmac('sha256', key).update(bytes).digest('hex');
const headers = (signature: string | undefined) => (name: string) => (name === 'linear-signature' ? signature : undefined);
const codeOf = (result: { ok: true } | { ok: false; code: string }) => (result.ok ? undefined : result.code);

describe('Linear signatures', () => {
  test('accepts the hex HMAC of the raw body, in either case', () => {
    expect(codeOf(verifyLinearSignature(body, headers(sign(secret, body)), secret))).toBeUndefined();
    expect(codeOf(verifyLinearSignature(body, headers(sign(secret, body).toUpperCase()), secret))).toBeUndefined();
  });
  test('refuses a missing header, another secret, a changed body and garbage', () => {
    expect(codeOf(verifyLinearSignature(body, headers(undefined), secret))).toBe('signature_missing');
    expect(codeOf(verifyLinearSignature(body, headers(sign('other', body)), secret))).toBe('signature_invalid');
    expect(codeOf(verifyLinearSignature(Buffer.from('{"hello":"World"}'), headers(sign(secret, body)), secret))).toBe('signature_invalid');
    expect(codeOf(verifyLinearSignature(body, headers('zz'), secret))).toBe('signature_invalid');
    expect(codeOf(verifyLinearSignature(body, headers(sign(secret, body).slice(0, 63)), secret))).toBe('signature_invalid');
  });
  test('the timestamp must be within 60 s either way', () => {
    const now = 1_800_000_000_000;
    expect(codeOf(checkLinearTimestamp(now - 59_000, now))).toBeUndefined();
    expect(codeOf(checkLinearTimestamp(now + 59_000, now))).toBeUndefined();
    expect(codeOf(checkLinearTimestamp(now - 61_000, now))).toBe('timestamp_stale');
    expect(codeOf(checkLinearTimestamp(now + 61_000, now))).toBe('timestamp_stale');
    expect(codeOf(checkLinearTimestamp(undefined, now))).toBe('timestamp_missing');
    expect(codeOf(checkLinearTimestamp(String(now), now))).toBe('timestamp_missing');
  });
});

describe('Linear deliveries as provider-neutral events', () => {
  const now = 1_800_000_000_000;
  const parse = (payload: Record<string, unknown>) => parseLinearDelivery(JSON.stringify({ webhookTimestamp: now, ...payload }), now);

  test('an issue update: the issue is entity and subject; actor, time and workspace come along', () => {
    const parsed = parse({
      action: 'update',
      type: 'Issue',
      actor: { id: 'usr_1', name: 'Ada Admin', type: 'user' },
      createdAt: '2027-01-15T08:00:00.000Z',
      organizationId: 'org_1',
      data: { id: 'iss_1', identifier: 'ENG-12', title: 'Checkout fails' },
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        event: {
          eventType: 'Issue.update',
          eventKind: 'updated',
          entityType: 'Issue',
          entityKind: 'issue',
          entityId: 'iss_1',
          label: 'ENG-12 Checkout fails',
          subject: { kind: 'issue', id: 'iss_1' },
          actor: { id: 'usr_1', name: 'Ada Admin' },
          occurredAt: Date.parse('2027-01-15T08:00:00.000Z'),
          accountId: 'org_1',
        },
        signedEventId: undefined,
      },
    });
  });

  test('a comment belongs to its issue; an app event without data to itself', () => {
    const comment = parse({ action: 'create', type: 'Comment', data: { id: 'cmt_1', issueId: 'iss_1', issue: { identifier: 'ENG-12' } } });
    expect(comment.ok && comment.value.event).toMatchObject({
      entityKind: 'comment',
      eventKind: 'created',
      entityId: 'cmt_1',
      label: 'Comment on ENG-12',
      subject: { kind: 'issue', id: 'iss_1' },
      actor: null,
      occurredAt: null,
      accountId: null,
    });
    const app = parse({ action: 'revoked', type: 'OAuthApp', webhookId: 'whk_9' });
    expect(app.ok && app.value.event).toMatchObject({ entityKind: 'other', eventKind: 'other', entityId: 'whk_9', subject: { kind: 'OAuthApp', id: 'none' } });
  });

  test('refuses what is not the expected JSON (400) before a stale timestamp (401)', () => {
    expect(codeOf(parseLinearDelivery('not json', now))).toBe('invalid_delivery');
    expect(codeOf(parseLinearDelivery('[1]', now))).toBe('invalid_delivery');
    expect(codeOf(parseLinearDelivery(JSON.stringify({ type: 'Issue' }), now))).toBe('invalid_delivery');
    expect(codeOf(parseLinearDelivery(JSON.stringify({ type: 'Issue', action: 'create', webhookTimestamp: now - 61_000 }), now))).toBe('timestamp_stale');
  });

  test('odd action names map to `other`, never to an inherited property', () => {
    const parsed = parse({ action: 'constructor', type: 'toString', data: { id: 'x' } });
    expect(parsed.ok && [parsed.value.event.eventKind, parsed.value.event.entityKind]).toEqual(['other', 'other']);
  });
});
