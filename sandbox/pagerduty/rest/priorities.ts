import type { FastifyInstance } from 'fastify';
import type { PdContext } from '../context.js';
import { accountPriorities } from '../domain/priorities.js';
import { pdError } from '../errors.js';
import { paginate, parsePageQuery } from '../pagination.js';
import { restRoute } from './route.js';

/**
 * GET /priorities (priorities.read), most severe first (API-NOTES §2.7). An account without
 * priorities (setting `priorities`) answers an empty list, or 402/2014 when its plan lacks them.
 */
export function registerPriorities(app: FastifyInstance, ctx: PdContext): void {
  restRoute(app, ctx, {
    method: 'GET',
    url: '/priorities',
    scope: 'priorities.read',
    handler: ({ caller, query }) => {
      const page = parsePageQuery(query);
      if (ctx.state.settings.priorities === 'payment_required') {
        throw pdError.missingAbility('The account does not have the abilities to use priorities (required: incident_priorities)');
      }
      const { items, page: p } = paginate(accountPriorities(ctx.state, caller.account.subdomain), page);
      return { priorities: items.map((x) => ctx.wire.priority(x)), ...p };
    },
  });
}
