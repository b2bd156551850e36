/** Settings a test may change at run time (`POST /_sandbox/settings`); reset restores the defaults. */
export interface LinearSettings {
  /** HTTP status of AUTHENTICATION_ERROR responses: Linear is seen answering 400 or 401 (API-NOTES §2.5). */
  authErrorStatus: 400 | 401;
  /** HTTP status of RATELIMITED responses: 400 as reported (API-NOTES §2.5), optionally 429. */
  ratelimitedStatus: 400 | 429;
  /**
   * The webhook `actor` of a change made with an actor=app token. The schema documents an OAuth
   * client actor `{id, type, name}` and a user actor, and says the actor may be absent (API-NOTES
   * §3.4); which one an app's change carries is not documented. 'oauthClient' (default): the OAuth
   * client; 'appUser': the app's own user as a user actor; 'absent': no `actor` field.
   */
  appActorShape: AppActorShape;
  /**
   * `commentCreate` with the `id` of a comment that already exists (also a deleted one). Linear
   * documents `id` ("If none is provided, the backend will generate one") but not the answer to a
   * reused one. 'error' (default): INPUT_ERROR, nothing created; 'returnExisting': success with
   * the existing comment when it is on the same issue, nothing created, no webhook.
   */
  duplicateCommentId: DuplicateCommentId;
}

export const APP_ACTOR_SHAPES = ['oauthClient', 'appUser', 'absent'] as const;
export type AppActorShape = (typeof APP_ACTOR_SHAPES)[number];
export const DUPLICATE_COMMENT_ID = ['error', 'returnExisting'] as const;
export type DuplicateCommentId = (typeof DUPLICATE_COMMENT_ID)[number];

export function defaultLinearSettings(authErrorStatus: 400 | 401 = 400): LinearSettings {
  return { authErrorStatus, ratelimitedStatus: 400, appActorShape: 'oauthClient', duplicateCommentId: 'error' };
}
