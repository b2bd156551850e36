import { describe, expect, it } from 'vitest';
import { CURRENT_PARAMS, DUMMY_HASH, hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with scrypt N=2^15 r=8 p=1, a 16-byte salt and a 64-byte key, parameters in the string', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const [scheme, N, r, p, salt, key, ...rest] = hash.split('$');
    expect(scheme).toBe('scrypt');
    expect([N, r, p]).toEqual(['32768', '8', '1']);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(64);
    expect(rest).toEqual([]);
    expect(hash).not.toContain('correct horse');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('verifies hashes made with other parameters, and flags them for rehashing', async () => {
    const cheap = await hashPassword('an older password', { N: 2 ** 10, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('an older password', cheap)).toBe(true);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(await hashPassword('a current password'))).toBe(false);
    expect(CURRENT_PARAMS).toEqual({ N: 32768, r: 8, p: 1 });
  });

  it('treats malformed or absurd hashes as non-matching, never as errors', async () => {
    for (const bad of ['', 'plain', 'scrypt$3$8$1$c2FsdHNhbHQ$a2V5', 'scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5', 'bcrypt$x$y$z$a$b']) {
      expect(await verifyPassword('anything', bad)).toBe(false);
    }
  });

  it('spends scrypt work on unknown accounts, with today\'s parameters, and always answers false', async () => {
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    expect(await verifyAgainstDummy('whatever password')).toBe(false);
  });

  it('normalises Unicode so the same visible password always matches', async () => {
    const hash = await hashPassword('caf\u00e9 au lait, please');
    expect(await verifyPassword('cafe\u0301 au lait, please', hash)).toBe(true);
  });
});
