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
    const row = { accessTokenExpiresAt: issuedAt + 60 * SECOND, accessTokenLifetimeMs: 60 * SECOND };
    expect(refreshDue(row, issuedAt)).toBe(false);
    expect(refreshDue(row, issuedAt + 44 * SECOND)).toBe(false);
    expect(refreshDue(row, issuedAt + 45 * SECOND)).toBe(true);
    expect(refreshDue({ accessTokenExpiresAt: null, accessTokenLifetimeMs: null }, issuedAt + DAY)).toBe(false);
  });

  it('allows one refresh per connection per interval', () => {
    expect(refreshAllowedAt({ lastRefreshedAt: null })).toBe(0);
    expect(refreshAllowedAt({ lastRefreshedAt: 5_000 })).toBe(5_000 + MIN_REFRESH_INTERVAL_MS);
  });

  it('counts tokens stated or seen to live under 30 s, and starts again after a good one', () => {
    const base = { accessTokenLifetimeMs: DAY, lastRefreshedAt: 0, connectedAt: 0, shortLivedTokens: 2 };
    expect(unusableTokensInARow(base, 60 * SECOND, false)).toBe(0);
    expect(unusableTokensInARow(base, 60 * SECOND, true)).toBe(0); // refused after a minute: not young
    expect(unusableTokensInARow(base, 10 * SECOND, true)).toBe(3); // refused 10 s after it was issued
    expect(unusableTokensInARow({ ...base, accessTokenLifetimeMs: MIN_USABLE_LIFETIME_MS - 1 }, 60 * SECOND, false)).toBe(3);
    // A token from the connect itself counts from the connect.
    expect(unusableTokensInARow({ ...base, lastRefreshedAt: null, connectedAt: 50 * SECOND }, 55 * SECOND, true)).toBe(3);
  });
});
