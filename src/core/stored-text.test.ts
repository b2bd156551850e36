import { describe, expect, it } from 'vitest';
import { displayText, identityKey } from './stored-text.js';

describe('stored-text: what the hub may write to either database', () => {
  it('identityKey keeps short, clean ids as they are', () => {
    expect(identityKey('2f0c7c9e-1b6e-4c7a-9d3a-0d6b1f1a2b3c', 200)).toBe('2f0c7c9e-1b6e-4c7a-9d3a-0d6b1f1a2b3c');
    expect(identityKey('x'.repeat(200), 200)).toBe('x'.repeat(200));
  });

  it('identityKey hashes long ids, never cuts them: ids sharing a 200-character prefix stay different', () => {
    const prefix = 'p'.repeat(200);
    const a = identityKey(`${prefix}a`, 200);
    const b = identityKey(`${prefix}b`, 200);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(identityKey('x'.repeat(100_000), 200)).toHaveLength(71);
  });

  it('identityKey hashes ids with a NUL or an unpaired surrogate (which a database would alter)', () => {
    expect(identityKey('a\u0000b', 200)).toMatch(/^sha256:/);
    expect(identityKey('a\uD800', 200)).not.toBe(identityKey('a\uDBFF', 200));
    expect(identityKey('a\uD83D\uDE00', 200)).toBe('a\uD83D\uDE00');
  });

  it('displayText replaces NUL and cuts long text at a character boundary', () => {
    expect(displayText('Checkout\u0000down', 300)).toBe('Checkout\uFFFDdown');
    expect(displayText('abcdef', 4)).toBe('abc…');
    const cut = displayText(`ab${'\uD83D\uDE00'.repeat(3)}`, 4);
    expect(cut).toBe('ab…');
    expect(displayText('x'.repeat(100_000), 300)).toHaveLength(300);
  });
});
