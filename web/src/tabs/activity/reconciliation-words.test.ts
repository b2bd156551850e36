import { describe, expect, it } from 'vitest';
import { driftWords, durationWords, intervalWords } from './reconciliation-words.js';

describe('the reconciliation in words', () => {
  it('says each drift kind the hub reports, in the hub’s order, singular and plural', () => {
    expect(
      driftWords({ missed_create: 2, comment: 1, note: 2, service_move: 1, incident_merged: 1, incident_status: 2, issue_deleted: 1, issue_state: 1 }),
    ).toBe(
      '1 state moved in Linear, 1 issue deleted in Linear, 2 incident statuses changed in PagerDuty, 1 incident merged in PagerDuty, ' +
        '1 incident moved to another service, notes missed on 2 incidents, comments missed on 1 issue, 2 missed creates',
    );
    expect(driftWords({ issue_state: 2, missed_create: 1 })).toBe('2 states moved in Linear, 1 missed create');
  });

  it('leaves out kinds counted zero, and says a kind it does not know by its name', () => {
    expect(driftWords({ note: 0, label_change: 3, issue_state: 1 })).toBe('1 state moved in Linear, 3 × label change');
    expect(driftWords({})).toBe('');
  });

  it('says durations and intervals for people', () => {
    expect([400, 2_449, 12_300, 60_000, 75_000].map(durationWords)).toEqual(['0.4 s', '2.4 s', '12 s', '1 min', '1 min 15 s']);
    expect([10, 90, 60, 300, 3600, 7200].map(intervalWords)).toEqual(['10 seconds', '90 seconds', '1 minute', '5 minutes', '1 hour', '2 hours']);
  });
});
