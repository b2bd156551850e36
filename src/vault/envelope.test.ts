import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { envelopeKeyId, keyIdOf, openEnvelope, rewrapEnvelope, sealEnvelope, secretAad, type SecretRef } from './envelope.js';
import { VaultDecryptError, VaultKeyUnavailableError } from './errors.js';
import { Keyring } from './keyring.js';

const ref: SecretRef = { organisationId: 'org_a', ownerTable: 'connections', ownerId: 'con_1', field: 'access_token' };
const key = randomBytes(32);
const plaintext = 'lin_oauth_access_token_Zx9';

/** Replaces the decoded bytes of part `index` with one bit flipped, re-encoded canonically. */
function flipBit(envelope: string, index: number): string {
  const parts = envelope.split('.');
  const bytes = Buffer.from(parts[index] ?? '', 'base64url');
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('envelope', () => {
  it('round-trips, with a fresh data key and IVs every time', () => {
    const a = sealEnvelope(key, ref, plaintext);
    const b = sealEnvelope(key, ref, plaintext);
    expect(a).not.toBe(b);
    expect(a).not.toContain(plaintext);
    expect(a.split('.')).toHaveLength(6);
    expect(a.startsWith(`v1.${keyIdOf(key)}.`)).toBe(true);
    expect(openEnvelope(key, a, ref)).toBe(plaintext);
    expect(openEnvelope(key, sealEnvelope(key, ref, ''), ref)).toBe('');
    expect(openEnvelope(key, sealEnvelope(key, ref, 'ünïcødé 🔑'), ref)).toBe('ünïcødé 🔑');
  });

  it('derives a deterministic 16-hex key id that is not the key', () => {
    expect(keyIdOf(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(Buffer.from(key))).toBe(keyIdOf(key));
    expect(keyIdOf(randomBytes(32))).not.toBe(keyIdOf(key));
    expect(key.toString('hex')).not.toContain(keyIdOf(key));
    expect(() => keyIdOf(randomBytes(16))).toThrow(/32 bytes/);
  });

  it.each([
    ['version', 0],
    ['key id', 1],
    ['DEK IV', 2],
    ['wrapped DEK', 3],
    ['data IV', 4],
    ['ciphertext', 5],
  ])('refuses an envelope whose %s was tampered with', (_name, index) => {
    const envelope = sealEnvelope(key, ref, plaintext);
    const parts = envelope.split('.');
    const edited = [...parts];
    const part = parts[index] ?? '';
    edited[index] = part.slice(0, -1) + (part.endsWith('A') ? 'B' : 'A');
    const variants = [edited.join('.')];
    if (index >= 2) variants.push(flipBit(envelope, index));
    if (index === 1) variants.push([parts[0], keyIdOf(randomBytes(32)), ...parts.slice(2)].join('.'));
    for (const variant of variants) {
      expect(variant).not.toBe(envelope);
      let caught: unknown;
      try {
        openEnvelope(key, variant, ref);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(VaultDecryptError);
      const message = (caught as Error).message;
      expect(message).not.toContain(plaintext);
      for (const p of parts.slice(2)) expect(message).not.toContain(p);
    }
  });

  it('refuses truncated, padded and foreign strings', () => {
    const envelope = sealEnvelope(key, ref, plaintext);
    for (const bad of ['', 'v1', envelope.slice(0, -4), `${envelope}=`, `${envelope}.x`, envelope.replace(/\./g, ':')]) {
      expect(() => openEnvelope(key, bad, ref)).toThrow(VaultDecryptError);
    }
  });

  it.each([
    ['another organisation', { ...ref, organisationId: 'org_b' }],
    ['another owner record', { ...ref, ownerId: 'con_2' }],
    ['another owner table', { ...ref, ownerTable: 'webhooks' }],
    ['another field', { ...ref, field: 'refresh_token' }],
  ])('binds a ciphertext to its row: it does not open for %s', (_name, other) => {
    const envelope = sealEnvelope(key, ref, plaintext);
    expect(() => openEnvelope(key, envelope, other)).toThrow(VaultDecryptError);
  });

  it('keeps associated data unambiguous when ids contain separators', () => {
    const a: SecretRef = { organisationId: 'o', ownerTable: 'a', ownerId: 'b/c', field: 'f' };
    const b: SecretRef = { organisationId: 'o', ownerTable: 'a/b', ownerId: 'c', field: 'f' };
    const c: SecretRef = { organisationId: 'o|field=x', ownerTable: 't', ownerId: 'i', field: 'f' };
    expect(secretAad(a)).not.toBe(secretAad(b));
    expect(() => openEnvelope(key, sealEnvelope(key, a, plaintext), b)).toThrow(VaultDecryptError);
    expect(secretAad(c)).toContain('org=o%7Cfield%3Dx|');
  });

  it('refuses the wrong master key', () => {
    const envelope = sealEnvelope(key, ref, plaintext);
    expect(() => openEnvelope(randomBytes(32), envelope, ref)).toThrow(VaultDecryptError);
  });

  it('re-wraps only the data key: the data part is kept byte for byte', () => {
    const next = randomBytes(32);
    const envelope = sealEnvelope(key, ref, plaintext);
    const rewrapped = rewrapEnvelope(key, next, envelope);
    expect(envelopeKeyId(rewrapped)).toBe(keyIdOf(next));
    expect(rewrapped.split('.').slice(4)).toEqual(envelope.split('.').slice(4));
    expect(openEnvelope(next, rewrapped, ref)).toBe(plaintext);
    expect(() => openEnvelope(key, rewrapped, ref)).toThrow(VaultDecryptError);
  });
});

describe('Keyring', () => {
  it('decrypts with whichever held key the envelope names', () => {
    const old = randomBytes(32);
    const current = randomBytes(32);
    const sealedOld = new Keyring(old).encrypt(ref, 'one');
    const ring = new Keyring(current, [old]);
    expect(ring.keyIds()).toEqual([keyIdOf(current), keyIdOf(old)]);
    expect(ring.decrypt(sealedOld, ref)).toBe('one');
    expect(ring.decrypt(ring.encrypt(ref, 'two'), ref)).toBe('two');
    const moved = ring.rewrap(sealedOld, ring.activeKeyId);
    expect(envelopeKeyId(moved)).toBe(ring.activeKeyId);
    expect(new Keyring(current).decrypt(moved, ref)).toBe('one');
  });

  it('names an unknown key id with VaultKeyUnavailableError, and nothing else', () => {
    const envelope = new Keyring(randomBytes(32)).encrypt(ref, plaintext);
    const ring = new Keyring(randomBytes(32));
    let caught: unknown;
    try {
      ring.decrypt(envelope, ref);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VaultKeyUnavailableError);
    expect((caught as VaultKeyUnavailableError).keyId).toBe(envelopeKeyId(envelope));
    expect((caught as Error).message).toContain(envelopeKeyId(envelope));
    expect((caught as Error).message).not.toContain(envelope.split('.')[5]);
  });
});
