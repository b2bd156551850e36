import { activityApi } from './activity.js';
import { connectionsApi } from './connections.js';
import type { Endpoint } from './endpoint.js';
import { linksApi } from './links.js';
import { metaApi } from './meta.js';
import { organisationApi } from './organisation.js';
import { rulesApi } from './rules.js';
import { sessionApi } from './session.js';
import { usersApi } from './users.js';
import { webhooksApi } from './webhooks.js';

/**
 * The JSON API's contract: every endpoint's method, path, input schemas and answer schema, one
 * module per area. Routes (src/http/routes/api/**) register from these declarations and validate
 * with their schemas; the web app (web/src/api/client.ts) imports the types. It imports zod and two
 * pure, dependency-free modules — the name rule (src/core/name-characters.ts) and the providers'
 * keys (src/providers/names.ts) — nothing else of the hub; domain code never
 * imports it — the route and view layer (src/http) translates between the two.
 */

export * from './activity.js';
export * from './common.js';
export * from './connections.js';
export * from './endpoint.js';
export * from './errors.js';
export * from './field-rules.js';
export type { Role } from './fields.js';
export * from './links.js';
export * from './meta.js';
export * from './organisation.js';
export * from './rules.js';
export * from './session.js';
export * from './users.js';
export * from './webhooks.js';

/** Every endpoint of the API (a test checks that each is registered and validates as declared). */
export const ENDPOINTS: readonly Endpoint[] = [
  ...Object.values(metaApi),
  ...Object.values(sessionApi),
  ...Object.values(usersApi),
  ...Object.values(organisationApi),
  ...Object.values(connectionsApi),
  ...Object.values(webhooksApi),
  ...Object.values(rulesApi),
  ...Object.values(activityApi),
  ...Object.values(linksApi),
];
