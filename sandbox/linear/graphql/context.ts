import type { SandboxClock } from '../../common/clock.js';
import type { Actor } from '../domain/actor.js';
import { LinearApiError } from '../domain/errors.js';
import type { DomainDeps } from '../domain/events.js';
import type { LinearState, Organization, User } from '../state.js';
import type { LinearUrls } from '../urls.js';
import type { FilterSpecs } from './filter-specs.js';
import type { FilterEnv } from './filters.js';
import type { RateLimiter } from './rate-limit.js';

/** Who is calling: resolved from `Authorization` by graphql/auth.ts. */
export interface Viewer {
  user: User;
  organization: Organization;
  /** OAuth scopes; an API key has read and write, plus admin when its user is an admin. */
  scopes: ReadonlySet<string>;
  credential: { kind: 'apiKey' | 'oauth'; value: string; clientId: string | null };
  actor: Actor;
}

/**
 * What `team(id:)`, `workflowState(id:)`, `project(id:)` and `issueLabel(id:)` answer for an
 * archived (deleted) record. Linear's documentation does not say: 'returned' (default) gives
 * the record with `archivedAt` set, 'not_found' the "Entity not found" error.
 */
export type ArchivedLookups = 'returned' | 'not_found';

/** Long-lived services the resolvers use. */
export interface LinearServices {
  state: LinearState;
  clock: SandboxClock;
  urls: LinearUrls;
  specs: FilterSpecs;
  /** Default page size of every connection (Linear: 50; stand-in default 10). */
  pageSize: number;
  /** The `archivedLookups` setting (default 'returned'). */
  archivedLookups: ArchivedLookups;
  deps: DomainDeps;
  limiter: RateLimiter;
}

export interface LinearContext {
  viewer: Viewer;
  services: LinearServices;
}

export function filterEnv(ctx: LinearContext): FilterEnv {
  return { now: ctx.services.clock.now(), viewerId: ctx.viewer.user.id };
}

/**
 * Write operations need the `write` scope, or the narrower one named (`issues:create`,
 * `comments:create`) (API-NOTES §1.3, §5.9). Linear answers FORBIDDEN.
 */
export function requireWrite(ctx: LinearContext, narrower?: 'issues:create' | 'comments:create'): void {
  const scopes = ctx.viewer.scopes;
  if (scopes.has('write') || (narrower && scopes.has(narrower))) return;
  throw new LinearApiError('FORBIDDEN', 'Invalid scope: `write` required', 'You do not have access to perform this operation.');
}

/**
 * "Only workspace admins, or OAuth applications with the admin scope, can create or read
 * webhooks" (API-NOTES §1.3): the stand-in requires the `admin` scope AND an admin user
 * (§5.9); an API key of an admin has the admin scope. `teamDelete` ("requires team owner or
 * workspace admin permissions", schema) is checked the same way (`what` = 'delete teams').
 */
export function requireAdmin(ctx: LinearContext, what = 'manage webhooks'): void {
  if (!ctx.viewer.scopes.has('admin')) {
    throw new LinearApiError('FORBIDDEN', 'Invalid scope: `admin` required', 'You do not have access to perform this operation.');
  }
  if (!ctx.viewer.user.admin && !ctx.viewer.user.app) {
    throw new LinearApiError('FORBIDDEN', `Only workspace admins can ${what}`, `Only workspace admins can ${what}.`);
  }
}
