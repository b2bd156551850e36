import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { findOrganisation, type Organisation } from './organisations-repository.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findSessionByHash,
  insertSession,
  touchSession,
  type Session,
} from './sessions-repository.js';
import { findUser, type User } from './users-repository.js';

/**
 * Server-side sessions. The browser holds a random 32-byte value (base64url) in the
 * `hub_session` cookie; the database holds only its SHA-256, so a leaked database dump
 * cannot be replayed as cookies. Expiry slides: activity pushes it out, at most once a minute.
 */

/** Sliding expiry writes at most this often per session. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

/** Who is calling: the session, its user (role read fresh from `users` every request) and organisation. */
export interface SessionContext {
  session: Session;
  user: User;
  organisation: Organisation;
}

export interface SessionTiming {
  now: number;
  ttlMs: number;
}

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

export function hashSessionId(cookieValue: string): string {
  return createHash('sha256').update(cookieValue, 'utf8').digest('hex');
}

/** Creates a session for `user`; returns the cookie value (shown to the browser once, never stored). */
export async function startSession(
  db: Kysely<Database>,
  user: User,
  { now, ttlMs }: SessionTiming,
): Promise<{ cookieValue: string; session: Session }> {
  const cookieValue = randomBytes(32).toString('base64url');
  const session: Session = {
    idHash: hashSessionId(cookieValue),
    organisationId: user.organisationId,
    userId: user.id,
    csrfToken: randomBytes(32).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + ttlMs,
  };
  await insertSession(db, session);
  // Housekeeping rides along with log-ins: cheap (indexed) and keeps the table small.
  await deleteExpiredSessions(db, now);
  return { cookieValue, session };
}

/**
 * The session a cookie value names, if it exists and has not expired. `touched` is true when
 * the expiry was pushed out by this call (the caller re-sends the cookie with the new lifetime).
 */
export async function resolveSession(
  db: Kysely<Database>,
  cookieValue: string,
  { now, ttlMs }: SessionTiming,
): Promise<{ context: SessionContext; touched: boolean } | undefined> {
  if (!COOKIE_VALUE.test(cookieValue)) return undefined;
  const found = await findSessionByHash(db, hashSessionId(cookieValue));
  if (found === undefined) return undefined;
  if (found.expiresAt <= now) {
    await deleteSession(db, found.organisationId, found.idHash);
    return undefined;
  }
  const [user, organisation] = await Promise.all([
    findUser(db, found.organisationId, found.userId),
    findOrganisation(db, found.organisationId),
  ]);
  if (user === undefined || organisation === undefined) return undefined;
  // Deactivation deletes the user's sessions; this also refuses one a log-in racing the
  // deactivation managed to insert after that delete.
  if (user.deactivatedAt !== null) {
    await deleteSession(db, found.organisationId, found.idHash);
    return undefined;
  }

  let session = found;
  const touched = now - found.lastSeenAt >= SESSION_TOUCH_INTERVAL_MS;
  if (touched) {
    session = { ...found, lastSeenAt: now, expiresAt: now + ttlMs };
    await touchSession(db, found, session.lastSeenAt, session.expiresAt);
  }
  return { context: { session, user, organisation }, touched };
}

export async function endSession(db: Kysely<Database>, session: Session): Promise<void> {
  await deleteSession(db, session.organisationId, session.idHash);
}
