/**
 * Contract: DATA_DIR/master.key, the embedded default's key store (used only when
 * HUB_MASTER_KEY is unset and the database is SQLite).
 *
 *   {"active":"<base64 32 bytes>","previous":["<base64 32 bytes>", …]}
 *
 * Always written whole to a temporary file (mode 0600, fsynced) that then replaces or becomes
 * the real one, so readers see the old or the new file, never half of one. A file that is not
 * of this shape, or holds a key that does not decode to 32 bytes, is refused with an error
 * naming the file — never its content.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { masterKeySchema } from '../config/schema.js';
import { MasterKeyFileError } from './errors.js';

export interface MasterKeys {
  active: Buffer;
  previous: Buffer[];
}

export const MASTER_KEY_FILE = 'master.key';

export function masterKeyPath(dataDir: string): string {
  return path.join(dataDir, MASTER_KEY_FILE);
}

/** True when group or others may read or write the file (anything beyond 0600). */
export function isModeTooOpen(mode: number): boolean {
  return process.platform !== 'win32' && (mode & 0o077) !== 0;
}

function decodeKey(file: string, label: string, value: unknown): Buffer {
  if (typeof value !== 'string') throw new MasterKeyFileError(file, `is malformed: ${label} must be a base64 string`);
  const parsed = masterKeySchema.safeParse(value);
  // zod's messages here describe the problem (length, alphabet), never the value.
  if (!parsed.success) throw new MasterKeyFileError(file, `is malformed: ${label} ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data;
}

/** Reads and validates the key file; `undefined` when it does not exist. */
export async function readMasterKeyFile(file: string): Promise<{ keys: MasterKeys; mode: number } | undefined> {
  let text: string;
  let mode: number;
  try {
    [text, mode] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file).then((s) => s.mode)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MasterKeyFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'I/O error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse messages quote the input: never pass them on.
    throw new MasterKeyFileError(file, 'is malformed: expected JSON {"active":"<base64>","previous":[…]}');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new MasterKeyFileError(file, 'is malformed: expected JSON {"active":"<base64>","previous":[…]}');
  }
  const record = json as Record<string, unknown>;
  const previous = record.previous ?? [];
  if (!Array.isArray(previous)) throw new MasterKeyFileError(file, 'is malformed: "previous" must be an array');
  return {
    keys: {
      active: decodeKey(file, '"active"', record.active),
      previous: previous.map((key, index) => decodeKey(file, `"previous"[${index}]`, key)),
    },
    mode,
  };
}

async function writeTemp(file: string, keys: MasterKeys): Promise<string> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const body = `${JSON.stringify({
    active: keys.active.toString('base64'),
    previous: keys.previous.map((key) => key.toString('base64')),
  })}\n`;
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(body, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Atomically replaces (or creates) the key file. */
export async function writeMasterKeyFile(file: string, keys: MasterKeys): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = await writeTemp(file, keys);
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDir(path.dirname(file));
}

/**
 * Creates the key file only if none exists (two processes starting at once cannot both win).
 * Returns false when another file was already there.
 */
export async function createMasterKeyFile(file: string, keys: MasterKeys): Promise<boolean> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = await writeTemp(file, keys);
  try {
    await fs.link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
  await syncDir(path.dirname(file));
  return true;
}
