/**
 * Contract: the envelope format, pure and without I/O. Never logs, never puts secret bytes in
 * an error.
 *
 *   v1.<keyId>.<ivDek>.<wrappedDek+tag>.<ivData>.<ciphertext+tag>      (parts base64url)
 *
 * - keyId = first 16 hex chars of SHA-256("integration-hub key id" || masterKey).
 * - A fresh 32-byte data key (DEK) per seal, wrapped with AES-256-GCM under the master key,
 *   AAD "integration-hub/dek/v1|<keyId>".
 * - The secret is encrypted with AES-256-GCM under the DEK, AAD
 *   "integration-hub/secret/v1|org=<org>|record=<ownerTable>/<ownerId>|field=<field>", each
 *   component percent-encoded (encodeURIComponent) so no two references share an AAD.
 * - Rotation re-wraps the DEK only; the data part is copied unchanged.
 * Parsing is strict (canonical base64url, exact lengths) so any edit to any part fails.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { VaultDecryptError } from './errors.js';

/** Where a secret belongs; bound into its ciphertext. */
export interface SecretRef {
  organisationId: string;
  /** The table of the record owning the secret, e.g. "connections". */
  ownerTable: string;
  ownerId: string;
  /** e.g. "access_token", "refresh_token", "signing_secret". */
  field: string;
}

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{16}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** Deterministic, non-secret id of a 32-byte master key. */
export function keyIdOf(key: Buffer): string {
  if (key.length !== KEY_BYTES) throw new Error(`a master key must be ${KEY_BYTES} bytes`);
  return createHash('sha256').update('integration-hub key id').update(key).digest('hex').slice(0, 16);
}

/** The associated data binding a ciphertext to its organisation, record and field. */
export function secretAad(ref: SecretRef): string {
  const e = encodeURIComponent;
  return `integration-hub/secret/${VERSION}|org=${e(ref.organisationId)}|record=${e(ref.ownerTable)}/${e(ref.ownerId)}|field=${e(ref.field)}`;
}

const dekAad = (keyId: string) => `integration-hub/dek/${VERSION}|${keyId}`;

interface Envelope {
  keyId: string;
  dekIv: Buffer;
  wrappedDek: Buffer;
  dataIv: Buffer;
  ciphertext: Buffer;
}

function decodePart(part: string, length: number | 'at least tag', subject: string): Buffer {
  if (!B64URL.test(part)) throw new VaultDecryptError('malformed', subject);
  const bytes = Buffer.from(part, 'base64url');
  // Reject non-canonical encodings: otherwise an edited trailing character could decode the same.
  if (bytes.toString('base64url') !== part) throw new VaultDecryptError('malformed', subject);
  if (length === 'at least tag' ? bytes.length < TAG_BYTES : bytes.length !== length) {
    throw new VaultDecryptError('malformed', subject);
  }
  return bytes;
}

function parseEnvelope(envelope: string, subject = 'secret'): Envelope {
  const parts = envelope.split('.');
  if (parts.length !== 6 || parts[0] !== VERSION || !KEY_ID.test(parts[1] ?? '')) {
    throw new VaultDecryptError('malformed', subject);
  }
  const [, keyId = '', dekIv = '', wrappedDek = '', dataIv = '', ciphertext = ''] = parts;
  return {
    keyId,
    dekIv: decodePart(dekIv, IV_BYTES, subject),
    wrappedDek: decodePart(wrappedDek, KEY_BYTES + TAG_BYTES, subject),
    dataIv: decodePart(dataIv, IV_BYTES, subject),
    ciphertext: decodePart(ciphertext, 'at least tag', subject),
  };
}

function formatEnvelope(e: Envelope): string {
  const b = (bytes: Buffer) => bytes.toString('base64url');
  return [VERSION, e.keyId, b(e.dekIv), b(e.wrappedDek), b(e.dataIv), b(e.ciphertext)].join('.');
}

/** The key id an envelope names. Throws VaultDecryptError('malformed') on a bad envelope. */
export function envelopeKeyId(envelope: string, subject = 'secret'): string {
  return parseEnvelope(envelope, subject).keyId;
}

function seal(key: Buffer, iv: Buffer, plaintext: Buffer, aad: string): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function open(key: Buffer, iv: Buffer, sealed: Buffer, aad: string, subject: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new VaultDecryptError('authentication', subject);
  }
}

function wrapDek(masterKey: Buffer, keyId: string, dek: Buffer): Pick<Envelope, 'keyId' | 'dekIv' | 'wrappedDek'> {
  const dekIv = randomBytes(IV_BYTES);
  return { keyId, dekIv, wrappedDek: seal(masterKey, dekIv, dek, dekAad(keyId)) };
}

function unwrapDek(masterKey: Buffer, e: Envelope, subject: string): Buffer {
  return open(masterKey, e.dekIv, e.wrappedDek, dekAad(e.keyId), subject);
}

/** Encrypts `plaintext` for `ref` under `masterKey` (a fresh data key every time). */
export function sealEnvelope(masterKey: Buffer, ref: SecretRef, plaintext: string): string {
  const dek = randomBytes(KEY_BYTES);
  try {
    const dataIv = randomBytes(IV_BYTES);
    const ciphertext = seal(dek, dataIv, Buffer.from(plaintext, 'utf8'), secretAad(ref));
    return formatEnvelope({ ...wrapDek(masterKey, keyIdOf(masterKey), dek), dataIv, ciphertext });
  } finally {
    dek.fill(0);
  }
}

/** Decrypts an envelope for `ref` with `masterKey` (the key its id names). */
export function openEnvelope(masterKey: Buffer, envelope: string, ref: SecretRef, subject = 'secret'): string {
  const parsed = parseEnvelope(envelope, subject);
  const dek = unwrapDek(masterKey, parsed, subject);
  try {
    return open(dek, parsed.dataIv, parsed.ciphertext, secretAad(ref), subject).toString('utf8');
  } finally {
    dek.fill(0);
  }
}

/** Re-wraps the data key from `fromKey` to `toKey`; the data part is kept byte for byte. */
export function rewrapEnvelope(fromKey: Buffer, toKey: Buffer, envelope: string, subject = 'secret'): string {
  const parsed = parseEnvelope(envelope, subject);
  const dek = unwrapDek(fromKey, parsed, subject);
  try {
    return formatEnvelope({ ...parsed, ...wrapDek(toKey, keyIdOf(toKey), dek) });
  } finally {
    dek.fill(0);
  }
}
