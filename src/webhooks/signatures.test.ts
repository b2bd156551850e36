import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { checkLinearTimestamp, verifyLinearSignature, verifyPagerDutySignature, WebhookVerificationError } from './signatures.js';

const secret = 'whsec_test';
const body = Buffer.from('{"hello":"world"}');
const sign = (key: string, bytes: Buffer) => createHmac('sha256', key).update(bytes).digest('hex');

function codeOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
}

describe('Linear signatures', () => {
  test('accepts the hex HMAC of the raw body, in either case', () => {
    expect(codeOf(() => verifyLinearSignature(secret, body, sign(secret, body)))).toBeUndefined();
    expect(codeOf(() => verifyLinearSignature(secret, body, sign(secret, body).toUpperCase()))).toBeUndefined();
  });
  test('refuses a missing header, another secret, a changed body and garbage', () => {
    expect(codeOf(() => verifyLinearSignature(secret, body, undefined))).toBe('signature_missing');
    expect(codeOf(() => verifyLinearSignature(secret, body, ''))).toBe('signature_missing');
    expect(codeOf(() => verifyLinearSignature(secret, body, sign('other', body)))).toBe('signature_invalid');
    expect(codeOf(() => verifyLinearSignature(secret, Buffer.from('{"hello":"World"}'), sign(secret, body)))).toBe('signature_invalid');
    expect(codeOf(() => verifyLinearSignature(secret, body, 'zz'))).toBe('signature_invalid');
    expect(codeOf(() => verifyLinearSignature(secret, body, sign(secret, body).slice(0, 63)))).toBe('signature_invalid');
  });
  test('the timestamp must be within 60 s either way', () => {
    const now = 1_800_000_000_000;
    expect(codeOf(() => checkLinearTimestamp(now - 59_000, now))).toBeUndefined();
    expect(codeOf(() => checkLinearTimestamp(now + 59_000, now))).toBeUndefined();
    expect(codeOf(() => checkLinearTimestamp(now - 61_000, now))).toBe('timestamp_stale');
    expect(codeOf(() => checkLinearTimestamp(now + 61_000, now))).toBe('timestamp_stale');
    expect(codeOf(() => checkLinearTimestamp(undefined, now))).toBe('timestamp_missing');
    expect(codeOf(() => checkLinearTimestamp(String(now), now))).toBe('timestamp_missing');
  });
});

describe('PagerDuty signatures', () => {
  test('accepts any matching v1 signature of a comma-separated list (secret rotation)', () => {
    const good = `v1=${sign(secret, body)}`;
    expect(codeOf(() => verifyPagerDutySignature(secret, body, good))).toBeUndefined();
    expect(codeOf(() => verifyPagerDutySignature(secret, body, `v1=${sign('old', body)}, ${good}`))).toBeUndefined();
  });
  test('ignores other versions and refuses when no v1 matches', () => {
    expect(codeOf(() => verifyPagerDutySignature(secret, body, `v2=${sign(secret, body)}`))).toBe('signature_invalid');
    expect(codeOf(() => verifyPagerDutySignature(secret, body, `v1=${sign('old', body)}`))).toBe('signature_invalid');
    expect(codeOf(() => verifyPagerDutySignature(secret, body, sign(secret, body)))).toBe('signature_invalid');
    expect(codeOf(() => verifyPagerDutySignature(secret, body, undefined))).toBe('signature_missing');
  });
});
