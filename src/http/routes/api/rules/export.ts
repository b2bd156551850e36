import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../api/rules.js';
import { rulesDocument } from '../../../../rules/portable.js';
import { listRules } from '../../../../rules/rules-repository.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';

/**
 * GET /api/rules/export — any user: every rule in evaluation order as a portable file
 * (`integration-hub/rules` version 1): references by id and by the names the hub last saw,
 * teams also by key. Reads the hub only; no provider call.
 */
export function registerExportRules(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.export, async (request, reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    const rules = await listRules(deps.database.db, organisation.id);
    const now = deps.clock.now();
    const day = new Date(now).toISOString().slice(0, 10);
    // Saved as a file by a browser following the link; fetch() callers read the JSON as usual.
    void reply.header('content-disposition', `attachment; filename="rules-${day}.json"`);
    return rulesDocument(rules, now);
  });
}
