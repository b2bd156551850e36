import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto). A hash is a self-describing string
 *   scrypt$<N>$<r>$<p>$<salt, base64url>$<key, base64url>
 * so the cost parameters can be raised later: old hashes still verify with their own
 * parameters, and {@link needsRehash} tells the log-in path to upgrade them.
 *
 * How long a password may be is the API's rule (src/api/field-rules.ts: 12 to 1024 characters).
 */

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** Today's parameters: N=2^15, r=8, p=1 (≈32 MiB and tens of milliseconds per hash). */
export const CURRENT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
/** Upper bounds for parameters read back from the database, so a corrupt row cannot exhaust memory. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function scrypt(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // Node refuses when 128·N·r reaches maxmem (32 MiB by default), which N=2^15, r=8 does.
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, keyLength, options, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams = CURRENT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, params, KEY_LENGTH);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^[1-9][0-9]{0,9}$/.test(part) ? Number(part) : NaN)) as [
    number,
    number,
    number,
  ];
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { params: { N, r, p }, salt, key };
}

/**
 * True when `password` matches `encoded`. Constant-time comparison of the derived keys; a
 * malformed hash never matches (and is not an exception: a bad row must not become a 500).
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (parsed === undefined) return false;
  const candidate = await scrypt(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(candidate, parsed.key);
}

/**
 * A hash made with CURRENT_PARAMS of 32 random bytes nobody kept. Fixed in the source so even
 * the first unknown address costs exactly one scrypt, like every other attempt. Regenerate it
 * when CURRENT_PARAMS change (needsRehash(DUMMY_HASH) must stay false; a test checks).
 */
export const DUMMY_HASH =
  'scrypt$32768$8$1$4T0dsoMZjS_p1wd2E5yqEg$go2V4U9bXyMI5HrLbBsByZkctdDLyUhEME2YB7wYUsCmBE6NSQBZtkNK5_Ah63p1cW3PLBpKDRA-LXoeL8P7lA';

/**
 * Spends the same time as {@link verifyPassword} against a real hash, and returns false.
 * Call it when the e-mail address is unknown, so response times do not reveal which
 * addresses have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_HASH);
  return false;
}

/** True when `encoded` was made with other parameters than today's (rehash after a successful log-in). */
export function needsRehash(encoded: string): boolean {
  const parsed = parseHash(encoded);
  if (parsed === undefined) return true;
  const { N, r, p } = parsed.params;
  return N !== CURRENT_PARAMS.N || r !== CURRENT_PARAMS.r || p !== CURRENT_PARAMS.p || parsed.key.length !== KEY_LENGTH;
}
