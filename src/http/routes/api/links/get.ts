import type { FastifyInstance } from 'fastify';
import { linksApi } from '../../../../api/links.js';
import { listLinks } from '../../../../sync/links-listing.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { decodeCursor, encodeCursor } from '../activity/cursor.js';
import { linkView } from './views.js';

/** GET /api/links — the organisation's links, the latest activity first, searched, filtered and paged. */
export function registerGetLinks(app: FastifyInstance, deps: AppDeps): void {
  route(app, linksApi.list, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const query = input.query();
    const after = decodeCursor(query.cursor, ['number', 'string']) as [number, string] | undefined;
    const { links, next } = await listLinks(deps.database.db, organisation.id, {
      q: query.q,
      ruleId: query.rule,
      status: query.status,
      after: after === undefined ? undefined : { updatedAt: after[0], id: after[1] },
      limit: query.limit,
    });
    return { links: links.map(linkView), nextCursor: next === null ? null : encodeCursor([next.updatedAt, next.id]) };
  });
}
