/**
 * Contract: the vault's public surface. Other modules store and read secrets only through
 * `Vault` (deps.vault); start-up calls `openVault`, the CLI calls `rotateMasterKey`.
 */
export { openVault, type OpenVaultOptions } from './open.js';
export { Vault, type SecretRef } from './vault.js';
export { formatRotationSummary, rotateMasterKey, type RotateOptions, type RotationSummary } from './rotate.js';
export { MasterKeyFileError, VaultDecryptError, VaultError, VaultKeyUnavailableError, VaultStartupError } from './errors.js';
