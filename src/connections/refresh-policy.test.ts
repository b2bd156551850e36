import { describe, expect, it } from 'vitest';
import {
  MIN_REFRESH_INTERVAL_MS,
  MIN_USABLE_LIFETIME_MS,
  REFRESH_MARGIN_MS,
  refreshAllowedAt,
  refreshDue,
  refreshMargin,
  statedLifetimeMs,
  unusableTokensInARow,
} from './refresh-policy.js';

const SECOND = 1000;
const DAY = 86_400 * SECOND;

describe('refresh policy', () => {
  it('scales the margin with the stated lifetime, up to 5 minutes', () => {
    expect(refreshMargin(DAY)).toBe(REFRESH_MARGIN_MS);
    expect(refreshMargin(60 * SECOND)).toBe(15 * SECOND);
    expect(refreshMargin(2 * SECOND)).toBe(500);
    expect(refreshMargin(null)).toBe(REFRESH_MARGIN_MS);
  });

  it('reads expires_in, with 0 or none as "not stated"', () => {
    expect(statedLifetimeMs(60)).toBe(60 * SECOND);
    expect(statedLifetimeMs(0)).toBeNull();
    expect(statedLifetimeMs(undefined)).toBeNull();
  });

  it('calls a 60 s token due 15 s before expiry, not when it arrives', () => {
    const issuedAt = 1_000_000;
    const row = { access_token_expires_at: issuedAt + 60 * SECOND, access_token_lifetime_ms: 60 * SECOND };
    expect(refreshDue(row, issuedAt)).toBe(false);
    expect(refreshDue(row, issuedAt + 44 * SECOND)).toBe(false);
    expect(refreshDue(row, issuedAt + 45 * SECOND)).toBe(true);
    expect(refreshDue({ access_token_expires_at: null, access_token_lifetime_ms: null }, issuedAt + DAY)).toBe(false);
  });

  it('allows one refresh per connection per interval', () => {
    expect(refreshAllowedAt({ last_refreshed_at: null })).toBe(0);
    expect(refreshAllowedAt({ last_refreshed_at: 5_000 })).toBe(5_000 + MIN_REFRESH_INTERVAL_MS);
  });

  it('counts tokens stated or seen to live under 30 s, and starts again after a good one', () => {
    const base = { access_token_lifetime_ms: DAY, last_refreshed_at: 0, connected_at: 0, short_lived_tokens: 2 };
    expect(unusableTokensInARow(base, 60 * SECOND, false)).toBe(0);
    expect(unusableTokensInARow(base, 60 * SECOND, true)).toBe(0); // refused after a minute: not young
    expect(unusableTokensInARow(base, 10 * SECOND, true)).toBe(3); // refused 10 s after it was issued
    expect(unusableTokensInARow({ ...base, access_token_lifetime_ms: MIN_USABLE_LIFETIME_MS - 1 }, 60 * SECOND, false)).toBe(3);
    // A token from the connect itself counts from the connect.
    expect(unusableTokensInARow({ ...base, last_refreshed_at: null, connected_at: 50 * SECOND }, 55 * SECOND, true)).toBe(3);
  });
});
