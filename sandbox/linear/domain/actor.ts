import type { AppActorShape } from '../settings.js';
import type { User } from '../state.js';

/**
 * Who makes a change. With an actor=user OAuth token, an API key or the page, changes appear
 * as the user; with an actor=app token the acting user is the app's own user (`app: true`) and
 * webhooks name the OAuth client (API-NOTES §1.2, §3.4).
 */
export interface Actor {
  user: User;
  /** Set for actor=app: the OAuth client the app user stands for. */
  oauthClient: { id: string; name: string } | null;
}

/** `actor` of a webhook envelope (SCHEMA UserActorWebhookPayload / OauthClientActorWebhookPayload). */
export type ActorPayload =
  | { id: string; type: 'user'; name: string; email: string; url: string; avatarUrl: string | null }
  | { id: string; type: 'OauthClient'; name: string };

/**
 * The envelope's actor. A user acts as a user actor; an actor=app token's change is described
 * per the `appActorShape` setting (settings.ts): the OAuth client (default), the app's own user,
 * or no actor at all (null: the envelope then has no `actor` field).
 */
export function actorPayload(actor: Actor, userUrl: string, appShape: AppActorShape = 'oauthClient'): ActorPayload | null {
  if (actor.oauthClient && appShape === 'absent') return null;
  if (actor.oauthClient && appShape === 'oauthClient') return { id: actor.oauthClient.id, type: 'OauthClient', name: actor.oauthClient.name };
  const u = actor.user;
  return { id: u.id, type: 'user', name: u.name, email: u.email, url: userUrl, avatarUrl: null };
}

/** The actor for a user record (app users resolve to their OAuth client). */
export function actorFor(user: User, clientName: (clientId: string) => string | undefined): Actor {
  if (!user.app || !user.appClientId) return { user, oauthClient: null };
  return { user, oauthClient: { id: user.appClientId, name: clientName(user.appClientId) ?? user.name } };
}
