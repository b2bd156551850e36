import { describe, expect, it } from 'vitest';
import { DEFAULT_REFUSAL_POLICY, RefusalTracker } from './refusal-tracker.js';

const MINUTE = 60_000;
const endpoint = (id = 'whk_1', lastDeliveryAt: number | null = null) => ({ id, lastDeliveryAt });

describe('RefusalTracker (when a webhook becomes Failing)', () => {
  it('one refusal, or many within a minute, marks nothing', () => {
    const tracker = new RefusalTracker();
    expect(tracker.refused(endpoint(), 0)).toBeUndefined();
    for (let i = 1; i < 100; i++) expect(tracker.refused(endpoint(), i * 100)).toBeUndefined();
  });

  it('5 refusals over 5 minutes mark it once, then at most once per 5 minutes', () => {
    const tracker = new RefusalTracker();
    const marks = [];
    for (let minute = 0; minute <= 20; minute++) marks.push(tracker.refused(endpoint(), minute * MINUTE));
    const written = marks.map((mark, minute) => (mark === undefined ? undefined : minute)).filter((minute) => minute !== undefined);
    expect(written).toEqual([5, 10, 15, 20]);
    expect(marks[5]).toEqual({ count: 6, since: 0 });
  });

  it('a delivery accepted meanwhile (here or in another process) starts the count again', () => {
    const tracker = new RefusalTracker();
    for (let minute = 0; minute < 4; minute++) tracker.refused(endpoint(), minute * MINUTE);
    tracker.accepted('whk_1');
    for (let minute = 4; minute < 8; minute++) expect(tracker.refused(endpoint(), minute * MINUTE)).toBeUndefined();
    // Another process accepted one at minute 8: the endpoint row says so.
    for (let minute = 9; minute < 13; minute++) expect(tracker.refused(endpoint('whk_1', 8 * MINUTE), minute * MINUTE)).toBeUndefined();
    expect(tracker.refused(endpoint('whk_1', 8 * MINUTE), 14 * MINUTE)).toEqual({ count: 5, since: 9 * MINUTE });
  });

  it('refusals more than an hour apart are not a pattern', () => {
    const tracker = new RefusalTracker();
    for (let hour = 0; hour < 10; hour++) expect(tracker.refused(endpoint(), hour * 61 * MINUTE)).toBeUndefined();
  });

  it('memory is bounded: at most maxTracked endpoints, the least recently refused forgotten first', () => {
    const tracker = new RefusalTracker({ ...DEFAULT_REFUSAL_POLICY, maxTracked: 3 });
    for (const id of ['a', 'b', 'c', 'a', 'd']) tracker.refused(endpoint(id), 0);
    expect(tracker.size).toBe(3);
    // 'b' was forgotten, 'a' (refused again) was kept: its count goes on.
    for (let minute = 1; minute <= 3; minute++) tracker.refused(endpoint('a'), minute * MINUTE);
    expect(tracker.refused(endpoint('a'), 5 * MINUTE)).toEqual({ count: 6, since: 0 });
  });

  it('finds the first refusal of a streak and then every 100th worth a log line, and a new streak starts over', () => {
    const tracker = new RefusalTracker();
    const logged: number[] = [];
    for (let i = 1; i <= 250; i++) {
      tracker.refused(endpoint(), i);
      if (tracker.worthLogging('whk_1')) logged.push(tracker.streakLength('whk_1'));
    }
    expect(logged).toEqual([1, 100, 200]);
    tracker.accepted('whk_1');
    expect(tracker.streakLength('whk_1')).toBe(0);
    tracker.refused(endpoint(), 300);
    expect(tracker.worthLogging('whk_1')).toBe(true);
  });
});
