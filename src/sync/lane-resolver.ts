import { entityLane, type LaneResolver } from '../queue/lanes.js';
import { providers } from '../providers/registry.js';

/**
 * Lanes for sync (issue 11 item 1): a linked pair's work runs in **its issue's lane**, in both
 * directions — an incident's jobs, once the incident is linked, go to the lane of the issue it
 * is linked to. The issue's lane is the link's lane from the start: the delivery that opens the
 * incident already runs there, so no job queued before the link exists runs beside one queued
 * after it. Unlinked entities keep their own lane.
 */
export const syncLaneResolver: LaneResolver = async (db, organisationId, entity) => {
  const pager = providers.incidentPager();
  if (entity.provider === pager.name && entity.kind === 'incident') {
    const link = await db
      .selectFrom('sync_links')
      .select('issue_id')
      .where('organisation_id', '=', organisationId)
      .where('incident_id', '=', entity.id)
      .executeTakeFirst();
    if (link !== undefined) return entityLane(providers.issueTracker().name, 'issue', link.issue_id);
  }
  return entityLane(entity.provider, entity.kind, entity.id);
};
