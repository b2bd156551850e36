/**
 * Contract: the vault's named errors. Messages name keys by id, files by path and secrets by
 * organisation/record/field — never a key, a plaintext, a ciphertext or file content, so any
 * of them may be logged or shown. None carries a `cause` that could hold such data.
 */

/** Base class: `integration-hub` prints these as a one-line message and exits (no stack). */
export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

/** An envelope (or the active key id) names a master key this process does not hold. */
export class VaultKeyUnavailableError extends VaultError {
  constructor(readonly keyId: string, hint = '') {
    super(`master key ${keyId} is not available to this process${hint === '' ? '' : `: ${hint}`}`);
    this.name = 'VaultKeyUnavailableError';
  }
}

/**
 * A stored envelope could not be opened: it is malformed, was tampered with, was copied from
 * another record, or its key id does not match its key.
 */
export class VaultDecryptError extends VaultError {
  constructor(readonly reason: 'malformed' | 'authentication', subject = 'secret') {
    super(
      reason === 'malformed'
        ? `${subject} could not be decrypted: the envelope is malformed`
        : `${subject} could not be decrypted: it was altered, belongs to another record, or was sealed with another key`,
    );
    this.name = 'VaultDecryptError';
  }
}

/** DATA_DIR/master.key is unreadable, not JSON of the expected shape, or holds a bad key. */
export class MasterKeyFileError extends VaultError {
  constructor(readonly path: string, problem: string) {
    super(`master key file ${path} ${problem}`);
    this.name = 'MasterKeyFileError';
  }
}

/** The vault refuses to start (or to rotate) because keys and database disagree. */
export class VaultStartupError extends VaultError {
  constructor(message: string) {
    super(message);
    this.name = 'VaultStartupError';
  }
}
