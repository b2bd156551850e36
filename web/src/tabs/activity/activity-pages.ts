import { api, type DeliveryView, type HealedView, type JobView, type SkippedIssueView } from '../../api/client.js';
import type { DeliveryFilters, JobFilters, SkippedFilters } from './filters.js';
import type { FilterQuery, Page } from './paged-list.js';

/** One page of webhook deliveries, newest first, for useFilteredPagedList. */
export async function fetchDeliveries(query: FilterQuery<DeliveryFilters>, cursor: string | undefined): Promise<Page<DeliveryView>> {
  const { deliveries, nextCursor } = await api.deliveries({ ...query, cursor });
  return { items: deliveries, nextCursor };
}

/** One page of jobs, newest first, for useFilteredPagedList. */
export async function fetchJobs(query: FilterQuery<JobFilters>, cursor: string | undefined): Promise<Page<JobView>> {
  const { jobs, nextCursor } = await api.jobs({ ...query, cursor });
  return { items: jobs, nextCursor };
}

/** One page of issues rules skipped, newest first, for useFilteredPagedList. */
export async function fetchSkipped(query: FilterQuery<SkippedFilters>, cursor: string | undefined): Promise<Page<SkippedIssueView>> {
  const { skipped, nextCursor } = await api.skipped({ ...query, cursor });
  return { items: skipped, nextCursor };
}

/** One page of what the reconciliation healed, newest first, for usePagedList (no filters). */
export async function fetchHealed(cursor: string | undefined): Promise<Page<HealedView>> {
  const { healed, nextCursor } = await api.reconciliation({ cursor });
  return { items: healed, nextCursor };
}
