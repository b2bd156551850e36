import type { FastifyInstance } from 'fastify';
import { linksApi } from '../../../../../api/links.js';
import { linkLedger } from '../../../../../sync/ledger.js';
import { linkWithHealth } from '../../../../../sync/links-listing.js';
import { findLink } from '../../../../../sync/links-repository.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { HttpError } from '../../../../errors.js';
import { requireSession } from '../../../../guards.js';
import { linkView, timelineEntryView } from '../views.js';

/** GET /api/links/:id — the link, how it stands, and its two-way timeline (oldest first). 404 link_not_found. */
export function registerGetLink(app: FastifyInstance, deps: AppDeps): void {
  route(app, linksApi.get, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const { id } = input.params();
    input.query();
    const db = deps.database.db;
    const link = await linkWithHealth(db, organisation.id, await findLink(db, organisation.id, id));
    if (link === undefined) throw new HttpError(404, 'link_not_found', 'No such link.');
    const timeline = await linkLedger(db, organisation.id, id);
    return { link: linkView(link), timeline: timeline.map(timelineEntryView) };
  });
}
