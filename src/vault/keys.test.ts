import { existsSync, readdirSync, readFileSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { b64, captureLogger, newKey, tempDataDir, type TempDataDir } from '../../test/helpers/vault.js';
import { keyIdOf } from './envelope.js';
import { MasterKeyFileError } from './errors.js';
import { readMasterKeyFile, writeMasterKeyFile } from './key-file.js';
import { loadKeys, reloadKeys } from './keys.js';

const posix = process.platform !== 'win32';

describe('master key file (embedded default)', () => {
  let dir: TempDataDir;
  let file: string;
  beforeEach(() => {
    dir = tempDataDir();
    file = path.join(dir.dataDir, 'master.key');
  });
  afterEach(() => dir.remove());

  it('is generated on first start with mode 0600, one log line, and the key never logged', async () => {
    const { logger, logs } = captureLogger();
    const loaded = await loadKeys(dir.config(), logger);
    expect(loaded.source).toEqual({ kind: 'file', path: file });
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { active: string; previous: string[] };
    expect(Buffer.from(json.active, 'base64')).toHaveLength(32);
    expect(json.previous).toEqual([]);
    expect(loaded.keyring.activeKeyId).toBe(keyIdOf(Buffer.from(json.active, 'base64')));
    expect(logs.text).toContain(`generated a new master key in ${file}`);
    expect(logs.text).not.toContain(json.active);
    expect(logs.text).not.toContain(Buffer.from(json.active, 'base64').toString('hex'));
    expect(readdirSync(dir.dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const again = captureLogger();
    const reloaded = await loadKeys(dir.config(), again.logger);
    expect(reloaded.keyring.activeKeyId).toBe(loaded.keyring.activeKeyId);
    expect(again.logs.text).not.toContain('generated a new master key');
  });

  it('two processes starting at once agree on one key', async () => {
    const [a, b] = await Promise.all([loadKeys(dir.config(), captureLogger().logger), loadKeys(dir.config(), captureLogger().logger)]);
    expect(a.keyring.activeKeyId).toBe(b.keyring.activeKeyId);
  });

  it('is not used (nor created) when HUB_MASTER_KEY is set', async () => {
    const key = newKey();
    const loaded = await loadKeys(dir.config({ HUB_MASTER_KEY: b64(key), HUB_MASTER_KEY_PREVIOUS: b64(newKey()) }), captureLogger().logger);
    expect(loaded.source).toEqual({ kind: 'env' });
    expect(loaded.keyring.activeKeyId).toBe(keyIdOf(key));
    expect(loaded.keyring.keyIds()).toHaveLength(2);
    expect(existsSync(file)).toBe(false);
  });

  const shortKey = Buffer.from('sixteen-byte-key').toString('base64');
  it.each([
    ['not JSON', 'c2VjcmV0LWNvbnRlbnQtbm90LWpzb24=', /is malformed: expected JSON/],
    ['a JSON array', '["c2VjcmV0LWNvbnRlbnQtbm90LWpzb24="]', /is malformed: expected JSON/],
    ['missing "active"', '{"previous":[]}', /"active" must be a base64 string/],
    ['a short key', `{"active":"${shortKey}"}`, /"active" must decode to exactly 32 bytes, got 16/],
    ['a non-base64 key', '{"active":"not base64 at all!!"}', /"active" must be base64/],
    ['a short previous key', `{"active":"${b64(newKey())}","previous":["${shortKey}"]}`, /"previous"\[0\] must decode to exactly 32 bytes/],
    ['"previous" not an array', `{"active":"${b64(newKey())}","previous":"x"}`, /"previous" must be an array/],
    ['an empty file', '', /is malformed/],
  ])('refuses a key file that is %s, naming the file but not its content', async (_name, content, problem) => {
    writeFileSync(file, content, { mode: 0o600 });
    const error = await loadKeys(dir.config(), captureLogger().logger).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MasterKeyFileError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toMatch(problem);
    expect(message).not.toContain('c2VjcmV0');
    expect(message).not.toContain(shortKey);
    expect((error as Error).cause).toBeUndefined();
  });

  it.runIf(posix)('warns when the key file is readable by others', async () => {
    await writeMasterKeyFile(file, { active: newKey(), previous: [] });
    chmodSync(file, 0o644);
    const { logger, logs } = captureLogger();
    await loadKeys(dir.config(), logger);
    expect(logs.text).toContain('master key file is readable by other users');
    expect(logs.text).toContain('"mode":"0644"');
  });

  it('is replaced atomically with mode 0600, and a reload learns the new keys', async () => {
    const { logger } = captureLogger();
    const loaded = await loadKeys(dir.config(), logger);
    const next = newKey();
    const current = (await readMasterKeyFile(file))!.keys.active;
    await writeMasterKeyFile(file, { active: next, previous: [current] });
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir.dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(await reloadKeys(loaded, logger)).toEqual([keyIdOf(next)]);
    expect(loaded.keyring.has(keyIdOf(current))).toBe(true);
    expect(await reloadKeys(loaded, logger)).toEqual([]);
  });
});
