import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { SessionContext } from '../accounts/sessions.js';
import { newId } from '../core/ids.js';
import type { ProviderName } from '../providers/names.js';
import { deleteAttempt, findAttemptsBefore, insertAttempt, type ConnectAttempt } from './attempts-repository.js';
import type { ConnectDeps } from './deps.js';

/**
 * The first half of Connect: an attempt per click — SHA-256 of a one-time `state`, the
 * session that clicked, a 10-minute lifetime, the PKCE verifier in the vault — and the
 * provider's authorize URL. The callback half is connect.ts.
 */

export const ATTEMPT_LIFETIME_MS = 10 * 60_000;

export const verifierRef = (attempt: Pick<ConnectAttempt, 'organisationId' | 'id'>) => ({
  organisationId: attempt.organisationId,
  ownerTable: 'oauth_attempts',
  ownerId: attempt.id,
  field: 'code_verifier',
});

export const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

export async function startConnect(
  deps: ConnectDeps,
  context: SessionContext,
  provider: ProviderName,
): Promise<{ authorizationUrl: string; attemptId: string }> {
  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  const now = deps.clock.now();
  const attempt: ConnectAttempt = {
    id: newId('att'),
    organisationId: context.organisation.id,
    userId: context.user.id,
    sessionIdHash: context.session.idHash,
    provider,
    stateHash: hashState(state),
    status: 'pending',
    errorCode: null,
    message: null,
    createdAt: now,
    expiresAt: now + ATTEMPT_LIFETIME_MS,
    finishedAt: null,
  };
  await deps.database.db.transaction().execute(async (trx) => {
    await insertAttempt(trx, attempt);
    await deps.vault.put(trx, verifierRef(attempt), codeVerifier);
  });
  return { authorizationUrl: deps.oauth[provider].authorizationUrl(state, codeChallenge).toString(), attemptId: attempt.id };
}

/** How long a finished or abandoned attempt (and its outcome message) is kept. */
export const ATTEMPT_RETENTION_MS = 24 * 3600_000;

/**
 * Deletes attempts older than the retention, with any PKCE verifier an abandoned one still
 * holds in the vault. Bounded per call; the connection keeper calls it on every pass.
 */
export async function purgeOldAttempts(deps: Pick<ConnectDeps, 'database' | 'vault' | 'clock'>): Promise<number> {
  const old = await findAttemptsBefore(deps.database.db, deps.clock.now() - ATTEMPT_RETENTION_MS, 500);
  for (const attempt of old) {
    await deps.database.db.transaction().execute(async (trx) => {
      await deps.vault.deleteOwner(trx, attempt.organisationId, 'oauth_attempts', attempt.id);
      await deleteAttempt(trx, attempt.id);
    });
  }
  return old.length;
}
