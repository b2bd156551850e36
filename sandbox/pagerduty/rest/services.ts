import type { FastifyInstance } from 'fastify';
import type { PdContext } from '../context.js';
import { pdError } from '../errors.js';
import { paginate, parsePageQuery, single } from '../pagination.js';
import { restRoute } from './route.js';

/**
 * GET /services and GET /services/{id} (API-NOTES §2.3): scope services.read; `query` matches
 * the name (case-insensitive substring), `name` exactly; sorted by name (`sort_by=name:desc`
 * reverses); `status` reflects open incidents. DELETE /services/{id}: scope services.write
 * (§1.8), 204; afterwards the service is gone from the list, its GET answers 404 and it takes
 * no new incidents ("it will not be accessible … and new incidents won't be able to be created
 * for this service", OAS deleteService).
 */
export function registerServices(app: FastifyInstance, ctx: PdContext): void {
  restRoute(app, ctx, {
    method: 'GET',
    url: '/services',
    scope: 'services.read',
    handler: ({ caller, query }) => {
      const page = parsePageQuery(query);
      const text = single(query.query)?.toLowerCase();
      const name = single(query.name);
      const sort = single(query.sort_by) ?? 'name';
      if (!['name', 'name:asc', 'name:desc'].includes(sort)) throw pdError.invalidInput(`sort_by must be name, name:asc or name:desc`);
      const services = ctx.state
        .servicesOf(caller.account.subdomain)
        .filter((s) => (text === undefined || s.name.toLowerCase().includes(text)) && (name === undefined || s.name === name))
        .sort((a, b) => a.name.localeCompare(b.name) * (sort === 'name:desc' ? -1 : 1));
      const { items, page: p } = paginate(services, page);
      return { services: items.map((s) => ctx.wire.service(s)), ...p };
    },
  });

  restRoute(app, ctx, {
    method: 'GET',
    url: '/services/:id',
    scope: 'services.read',
    handler: ({ caller, params }) => {
      const service = ctx.state.serviceIn(params.id!, caller.account.subdomain);
      if (!service) throw pdError.notFound();
      return { service: ctx.wire.service(service) };
    },
  });

  restRoute(app, ctx, {
    method: 'DELETE',
    url: '/services/:id',
    scope: 'services.write',
    handler: ({ reply, caller, params }) => {
      // The OAS lists 204/401/403 only; an unknown (or already deleted) id answers like GET: 404/2100.
      const service = ctx.state.serviceIn(params.id!, caller.account.subdomain);
      if (!service) throw pdError.notFound();
      service.deletedAt = ctx.clock.now();
      void reply.code(204);
      return undefined;
    },
  });
}
