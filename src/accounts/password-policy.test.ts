import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from './common-passwords.js';
import { passwordWeakness } from './password-policy.js';

const ADA = { email: 'ada.lovelace@acme-robotics.test', name: 'Ada Lovelace', organisationName: 'Acme Robotics' };

describe('password policy', () => {
  it.each([
    'password1234',
    'Password123!',
    'P@ssw0rd2024',
    '!!Passw0rd!!',
    'administrator',
    'Administrator1',
    'iloveyou2024',
    'Summer2024!!',
    'letmein12345',
    'changeme!!!!',
    'welcome12345',
    'Integrationhub1',
    'S3cr3t-2024!!',
  ])('refuses the common %j', (password) => {
    expect(passwordWeakness(password)).toBe('common');
  });

  it.each([
    'aaaaaaaaaaaa',
    '234567890123',
    '2345678901234567',
    'bcdefghijklm',
    'bcdefg234567',
    'wertyuiop123',
    'QWERTY-asdfgh',
    'zaq12wsxcde3',
    '1qaz2wsx3edc',
    '!@#$%^&*()_+',
    '987654321098',
    'abababababab',
    'abc1abc1abc1',
    'xyz!xyz!xyz!',
    'kd8skd8skd8s',
    'monkeymonkeymonkey',
  ])('refuses the predictable %j', (password) => {
    expect(passwordWeakness(password)).toBe('predictable');
  });

  it.each([
    'ada.lovelace@acme-robotics.test',
    'adalovelace2024',
    'Ada Lovelace 1815',
    'AcmeRobotics99',
    'acme robotics 123456789',
    'lovelace-lovelace',
  ])('refuses the personal %j for Ada of Acme Robotics', (password) => {
    expect(passwordWeakness(password, ADA)).toBe('personal');
  });

  it.each([
    'correct horse battery staple',
    'a long enough password',
    'temporary password 1',
    'viewer password 1',
    'vic password 123',
    'admin b password',
    'Tr0ub4dor&3xYz',
    'ada likes steam engines',
    'kx7-mq2p-vt9r-bw4h',
    'Canadian maple syrup',
  ])('accepts %j', (password) => {
    expect(passwordWeakness(password, ADA)).toBeUndefined();
  });

  it('accepts a personal word when enough else is there, like any other word', () => {
    expect(passwordWeakness('viewer password 1', { email: 'viewer@a.test' })).toBeUndefined();
    expect(passwordWeakness('vic password 123', { email: 'vic@acme.test' })).toBeUndefined();
    expect(passwordWeakness('viewer123456', { email: 'viewer@a.test' })).toBe('personal');
  });

  it('bundles a few hundred lower-case letter-and-digit entries', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(300);
    for (const word of COMMON_PASSWORDS) expect(word).toMatch(/^[a-z0-9]+$/);
  });
});
