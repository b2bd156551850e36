import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../api/rules.js';
import { importRules } from '../../../../rules/import-rules.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { requireAdmin } from '../../../guards.js';
import { RULE_STATUSES } from './failures.js';

/**
 * POST /api/rules/import — admin: `{document, apply}`. Resolves every reference against this
 * organisation's connections (by id, then name; a team by id, key, then name) and checks each rule
 * as a save does; answers the plan (create / update / unchanged, with the changes). `apply: true`
 * writes it all in one transaction. 400 invalid_body / invalid_rule (details `rules.2.routing.service`);
 * 409 rule_name_taken (two rules of the file with one name; details `rules.N.name`) / rule_changed
 * / not_connected / connection_disconnected. Nothing is written unless everything is.
 */
export function registerImportRules(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.import, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    input.query();
    const { document, apply } = input.body();
    const imported = await importRules(deps, organisation.id, { userId: user.id }, document, apply);
    if (!imported.ok) throw httpFailure(imported, RULE_STATUSES);
    return imported.value;
  });
}
