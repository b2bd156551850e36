import { describe, expect, it } from 'vitest';
import { lastActivityAt, linkHealth, NO_LANE_FACTS, type LaneFacts } from './link-status.js';

const OPEN = { closedAt: null, incident: { id: 'P1', number: 7, url: 'https://pd.test/incidents/P1', status: 'triggered' as const }, lastError: null, lastErrorAt: null };
const lane = (facts: Partial<LaneFacts>): LaneFacts => ({ ...NO_LANE_FACTS, ...facts });

describe('link status', () => {
  it('is in sync with an incident and nothing pending or failed', () => {
    expect(linkHealth(OPEN, lane({ latest: { status: 'succeeded', lastError: null, updatedAt: 5 }, lastSuccessAt: 5 }), [])).toEqual({
      status: 'in_sync',
      lastError: null,
      nextRetryAt: null,
      waitingFor: [],
    });
  });

  it('is opening while the incident is not there yet', () => {
    expect(linkHealth({ ...OPEN, incident: null }, lane({ latest: { status: 'running', lastError: null, updatedAt: 5 } }), []).status).toBe('opening');
  });

  it('is retrying while a failed job of the lane runs again: when, and why it failed', () => {
    const health = linkHealth(OPEN, lane({ retry: { runAt: 9_000, lastError: 'PagerDuty answered 500', updatedAt: 8_000 } }), []);
    expect(health).toEqual({ status: 'retrying', lastError: { message: 'PagerDuty answered 500', at: 8_000 }, nextRetryAt: 9_000, waitingFor: [] });
  });

  it('has failed when the lane’s latest job is dead', () => {
    const health = linkHealth(OPEN, lane({ latest: { status: 'dead', lastError: 'Refused: 400', updatedAt: 7 }, lastSuccessAt: 3 }), []);
    expect(health).toMatchObject({ status: 'failed', lastError: { message: 'Refused: 400', at: 7 } });
  });

  it('has failed on an error the link recorded, until a later job succeeds', () => {
    const failing = { ...OPEN, lastError: 'The incident could not be resolved.', lastErrorAt: 10 };
    expect(linkHealth(failing, lane({ lastSuccessAt: 9 }), []).status).toBe('failed');
    expect(linkHealth(failing, lane({ lastSuccessAt: 11 }), []).status).toBe('in_sync');
  });

  it('waits while a connection the pair needs is not Connected, naming it, before retrying or failing', () => {
    const dead = lane({ latest: { status: 'dead', lastError: 'x', updatedAt: 1 }, retry: { runAt: 2, lastError: 'y', updatedAt: 1 } });
    expect(linkHealth(OPEN, dead, [{ provider: 'linear', status: 'disconnected' }])).toMatchObject({
      status: 'waiting',
      waitingFor: [{ provider: 'linear', status: 'disconnected' }],
      nextRetryAt: null,
    });
    // A job deferred for a connection waits too, even before the connection's status shows it.
    expect(linkHealth(OPEN, lane({ waitingFor: ['pagerduty'] }), []).waitingFor).toEqual([{ provider: 'pagerduty', status: 'disconnected' }]);
  });

  it('is closed once closed, whatever else', () => {
    const closed = { ...OPEN, closedAt: 20 };
    expect(linkHealth(closed, lane({ latest: { status: 'dead', lastError: 'x', updatedAt: 1 } }), [{ provider: 'pagerduty', status: 'not_connected' }]).status).toBe('closed');
  });

  it('takes the last activity as the latest of the events either way and the link’s change', () => {
    expect(lastActivityAt({ lastInAt: 30, lastOutAt: 10, updatedAt: 20 })).toBe(30);
    expect(lastActivityAt({ lastInAt: null, lastOutAt: null, updatedAt: 20 })).toBe(20);
  });
});
