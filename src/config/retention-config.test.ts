import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './index.js';

function problemOf(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('RETENTION_DAYS', () => {
  it('keeps 30 days unless told otherwise (an empty value means the default)', () => {
    expect(parseConfig({}).retentionDays).toBe(30);
    expect(parseConfig({ RETENTION_DAYS: '' }).retentionDays).toBe(30);
    expect(parseConfig({ RETENTION_DAYS: '7' }).retentionDays).toBe(7);
    expect(parseConfig({ RETENTION_DAYS: '1' }).retentionDays).toBe(1);
  });

  it('refuses less than a day, fractions and words, naming the variable', () => {
    expect(problemOf({ RETENTION_DAYS: '0' })).toMatch(/^RETENTION_DAYS: /);
    expect(problemOf({ RETENTION_DAYS: '1.5' })).toMatch(/^RETENTION_DAYS: /);
    expect(problemOf({ RETENTION_DAYS: 'forever' })).toMatch(/^RETENTION_DAYS: /);
    expect(problemOf({ RETENTION_DAYS: '3651' })).toMatch(/^RETENTION_DAYS: /);
  });
});
