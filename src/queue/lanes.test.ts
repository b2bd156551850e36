import { describe, expect, it } from 'vitest';
import { entityLane, linkLane } from './lanes.js';

describe('lanes', () => {
  it('names an entity’s lane <provider>:<kind>:<id>, and a link’s link:<id>', () => {
    expect(entityLane('linear', 'issue', '2f0c7c9e')).toBe('linear:issue:2f0c7c9e');
    expect(entityLane('pagerduty', 'incident', 'PT4KHLK')).toBe('pagerduty:incident:PT4KHLK');
    expect(linkLane('lnk_abc')).toBe('link:lnk_abc');
  });

  it('hashes parts that are long or hold a NUL, never cuts them, and leaves bounded parts alone', () => {
    const prefix = 'p'.repeat(200);
    const a = entityLane('linear', 'issue', `${prefix}a`);
    expect(a).toMatch(/^linear:issue:sha256:[0-9a-f]{64}$/);
    expect(a).not.toBe(entityLane('linear', 'issue', `${prefix}b`));
    expect(entityLane('linear', 'Comment\u0000', 'x')).toMatch(/^linear:sha256:[0-9a-f]{64}:x$/);
    expect(entityLane('linear', 'issue', a.slice('linear:issue:'.length))).toBe(a);
    expect(linkLane('l'.repeat(201))).toMatch(/^link:sha256:/);
  });
});
