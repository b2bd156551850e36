import type { FastifyInstance } from 'fastify';
import type { PdContext } from '../context.js';
import { pdError } from '../errors.js';
import { paginate, parsePageQuery } from '../pagination.js';
import { restRoute } from './route.js';

/** GET /escalation_policies[/{id}] (escalation_policies.read, API-NOTES §1.8). */
export function registerEscalationPolicies(app: FastifyInstance, ctx: PdContext): void {
  restRoute(app, ctx, {
    method: 'GET',
    url: '/escalation_policies',
    scope: 'escalation_policies.read',
    handler: ({ caller, query }) => {
      const page = parsePageQuery(query);
      const all = [...ctx.state.escalationPolicies.values()].filter((p) => p.account === caller.account.subdomain);
      const { items, page: p } = paginate(all, page);
      return { escalation_policies: items.map((x) => ctx.wire.escalationPolicy(x)), ...p };
    },
  });

  restRoute(app, ctx, {
    method: 'GET',
    url: '/escalation_policies/:id',
    scope: 'escalation_policies.read',
    handler: ({ caller, params }) => {
      const policy = ctx.state.inAccount(ctx.state.escalationPolicies, params.id!, caller.account.subdomain);
      if (!policy) throw pdError.notFound();
      return { escalation_policy: ctx.wire.escalationPolicy(policy) };
    },
  });
}
