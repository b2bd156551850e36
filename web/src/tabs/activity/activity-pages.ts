import { api, type DeliveryView, type JobView } from '../../api/client.js';
import type { DeliveryFilters, JobFilters } from './filters.js';
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
