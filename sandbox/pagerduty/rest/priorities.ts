import type { FastifyInstance } from 'fastify';
import type { PdContext } from '../context.js';
import { paginate, parsePageQuery } from '../pagination.js';
import { restRoute } from './route.js';

/** GET /priorities (priorities.read), most severe first (API-NOTES §2.7). */
export function registerPriorities(app: FastifyInstance, ctx: PdContext): void {
  restRoute(app, ctx, {
    method: 'GET',
    url: '/priorities',
    scope: 'priorities.read',
    handler: ({ caller, query }) => {
      const page = parsePageQuery(query);
      const { items, page: p } = paginate(ctx.state.priorities.filter((x) => x.account === caller.account.subdomain), page);
      return { priorities: items.map((x) => ctx.wire.priority(x)), ...p };
    },
  });
}
