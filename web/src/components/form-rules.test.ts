import { describe, expect, it } from 'vitest';
import { nameProblem } from './form-rules.js';

describe('nameProblem', () => {
  it('asks for a name, and refuses the characters the hub refuses before sending', () => {
    expect(nameProblem('  ', 'Enter your name.')).toBe('Enter your name.');
    expect(nameProblem('Ada\u202Enimda', 'Enter your name.')).toMatch(/^Remove the invisible or control character U\+202E: /);
    expect(nameProblem('Ada\nAdmin', 'Enter your name.')).toMatch(/U\+000A/);
    expect(nameProblem('Ada\u200BAdmin', 'Enter your name.')).toMatch(/U\+200B/);
  });

  it('accepts accents, joiners and emoji, and ignores what trimming removes', () => {
    for (const name of ['Zoë Ça', 'می\u200Cخواهم', 'Dev \u{1F469}\u200D\u{1F4BB}', ' Ada\n']) {
      expect(nameProblem(name, 'Enter your name.')).toBeUndefined();
    }
  });
});
