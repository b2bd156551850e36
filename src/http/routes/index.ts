import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { registerGetDeliveries } from './api/activity/deliveries-get.js';
import { registerGetJobs } from './api/activity/jobs-get.js';
import { registerGetSkipped } from './api/activity/skipped-get.js';
import { registerGetReconciliation } from './api/activity/reconciliation-get.js';
import { registerReconcileNow } from './api/activity/reconcile-now-post.js';
import { registerReplayJob } from './api/activity/replay-post.js';
import { registerPageSkipped } from './api/activity/skipped-page-post.js';
import { registerPostAuthorize } from './api/connections/[provider]/authorize-post.js';
import { registerDeleteConnection } from './api/connections/[provider]/delete.js';
import { registerGetConnection } from './api/connections/[provider]/get.js';
import { registerGetAttempt } from './api/connections/attempts/get.js';
import { registerGetConnections } from './api/connections/get.js';
import { registerGetProviderResources } from './api/connections/resources-get.js';
import { registerGetLink } from './api/links/[id]/get.js';
import { registerResyncLink } from './api/links/[id]/resync-post.js';
import { registerGetLinks } from './api/links/get.js';
import { registerGetMeta } from './api/meta/get.js';
import { registerGetOrganisation } from './api/organisation/get.js';
import { registerPatchOrganisation } from './api/organisation/patch.js';
import { registerDeleteRule } from './api/rules/[id]/delete.js';
import { registerDisableRule } from './api/rules/[id]/disable-post.js';
import { registerEnableRule } from './api/rules/[id]/enable-post.js';
import { registerGetRule } from './api/rules/[id]/get.js';
import { registerPatchRule } from './api/rules/[id]/patch.js';
import { registerResumeRule } from './api/rules/[id]/resume-post.js';
import { registerGetRules } from './api/rules/get.js';
import { registerPostRule } from './api/rules/post.js';
import { registerReorderRules } from './api/rules/reorder-post.js';
import { registerGetPagerDutyCatalog } from './api/rules/catalog-pagerduty.js';
import { registerGetTeamCatalog } from './api/rules/catalog-team.js';
import { registerExportRules } from './api/rules/export.js';
import { registerImportRules } from './api/rules/import.js';
import { registerTestDraftRule } from './api/rules/test-draft.js';
import { registerTestRule } from './api/rules/test.js';
import { registerDeleteSession } from './api/session/delete.js';
import { registerGetSession } from './api/session/get.js';
import { registerChangePassword } from './api/session/password-post.js';
import { registerPostSession } from './api/session/post.js';
import { registerPostSetup } from './api/setup/post.js';
import { registerDeactivateUser } from './api/users/[id]/deactivate-post.js';
import { registerDeleteUser } from './api/users/[id]/delete.js';
import { registerGetUser } from './api/users/[id]/get.js';
import { registerResetUserPassword } from './api/users/[id]/password-reset-post.js';
import { registerPatchUser } from './api/users/[id]/patch.js';
import { registerReactivateUser } from './api/users/[id]/reactivate-post.js';
import { registerDeleteUserSessions } from './api/users/[id]/sessions-delete.js';
import { registerGetUsers } from './api/users/get.js';
import { registerPostUsers } from './api/users/post.js';
import { registerGetWebhooks } from './api/webhooks/get.js';
import { registerRefreshWebhooks } from './api/webhooks/refresh-post.js';
import { registerDeleteLinearWebhook } from './api/webhooks/linear/delete.js';
import { registerPostLinearWebhook } from './api/webhooks/linear/post.js';
import { registerEnablePagerDutySubscription } from './api/webhooks/pagerduty/enable-post.js';

/**
 * Every /api route, registered in one place. Each endpoint lives in its own file under
 * routes/api/, in folders that mirror the URL.
 */
export async function registerApiRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // Accounts: setup, sessions, users, organisation.
  registerGetMeta(app, deps);
  registerPostSetup(app, deps);
  registerGetSession(app);
  registerPostSession(app, deps);
  registerDeleteSession(app, deps);
  registerChangePassword(app, deps);
  registerGetUsers(app, deps);
  registerPostUsers(app, deps);
  registerGetUser(app, deps);
  registerPatchUser(app, deps);
  registerDeactivateUser(app, deps);
  registerReactivateUser(app, deps);
  registerDeleteUser(app, deps);
  registerDeleteUserSessions(app, deps);
  registerResetUserPassword(app, deps);
  registerGetOrganisation(app);
  registerPatchOrganisation(app, deps);
  // Connections: PagerDuty and Linear by OAuth.
  registerGetConnections(app, deps);
  registerGetConnection(app, deps);
  registerPostAuthorize(app, deps);
  registerDeleteConnection(app, deps);
  registerGetAttempt(app, deps);
  registerGetProviderResources(app, deps);
  // Webhooks the hub creates at the providers.
  registerGetWebhooks(app, deps);
  registerRefreshWebhooks(app, deps);
  registerPostLinearWebhook(app, deps);
  registerDeleteLinearWebhook(app, deps);
  registerEnablePagerDutySubscription(app, deps);
  // Rules: which Linear issues page which PagerDuty service.
  registerGetRules(app, deps);
  registerPostRule(app, deps);
  registerReorderRules(app, deps);
  registerGetRule(app, deps);
  registerPatchRule(app, deps);
  registerDeleteRule(app, deps);
  registerEnableRule(app, deps);
  registerDisableRule(app, deps);
  registerResumeRule(app, deps);
  // Rules: dry-run, export and import, and the form's live choices.
  registerTestDraftRule(app, deps);
  registerTestRule(app, deps);
  registerExportRules(app, deps);
  registerImportRules(app, deps);
  registerGetTeamCatalog(app, deps);
  registerGetPagerDutyCatalog(app, deps);
  // Activity: deliveries received and jobs.
  registerGetDeliveries(app, deps);
  registerGetJobs(app, deps);
  registerGetSkipped(app, deps);
  registerGetReconciliation(app, deps);
  registerReconcileNow(app, deps);
  registerReplayJob(app, deps);
  registerPageSkipped(app, deps);
  // Links: each paged issue and its incident, with the two-way timeline.
  registerGetLinks(app, deps);
  registerGetLink(app, deps);
  registerResyncLink(app, deps);
}
