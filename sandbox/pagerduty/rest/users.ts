import type { FastifyInstance } from 'fastify';
import type { PdContext } from '../context.js';
import { pdError } from '../errors.js';
import { paginate, parsePageQuery, single } from '../pagination.js';
import { restRoute } from './route.js';

/**
 * GET /users/me (no scope listed; user tokens only — app tokens and account keys get 404,
 * as a third party reports, unverified: API-NOTES §2.7), GET /users and /users/{id} (users.read).
 */
export function registerUsers(app: FastifyInstance, ctx: PdContext): void {
  restRoute(app, ctx, {
    method: 'GET',
    url: '/users/me',
    scope: null,
    handler: ({ caller }) => {
      if (!caller.user) throw pdError.notFound();
      return { user: ctx.wire.user(caller.user) };
    },
  });

  restRoute(app, ctx, {
    method: 'GET',
    url: '/users',
    scope: 'users.read',
    handler: ({ caller, query }) => {
      const page = parsePageQuery(query);
      const text = single(query.query)?.toLowerCase();
      const users = ctx.state
        .usersOf(caller.account.subdomain)
        .filter((u) => text === undefined || u.name.toLowerCase().includes(text) || u.email.toLowerCase().includes(text));
      const { items, page: p } = paginate(users, page);
      return { users: items.map((u) => ctx.wire.user(u)), ...p };
    },
  });

  restRoute(app, ctx, {
    method: 'GET',
    url: '/users/:id',
    scope: 'users.read',
    handler: ({ caller, params }) => {
      const user = ctx.state.inAccount(ctx.state.users, params.id!, caller.account.subdomain);
      if (!user) throw pdError.notFound();
      return { user: ctx.wire.user(user) };
    },
  });
}
