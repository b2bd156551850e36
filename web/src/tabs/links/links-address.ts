import type { LinkStatusValue } from '../../api/client.js';
import { LINK_STATUSES } from './link-words.js';

/** The Links list's search and filters, as in its address; '' for none. */
export interface LinkFilters {
  q: string;
  status: LinkStatusValue | '';
  rule: string;
}

export function readLinkFilters(search: string): LinkFilters {
  const params = new URLSearchParams(search);
  const status = params.get('status');
  return {
    q: params.get('q')?.trim() ?? '',
    status: LINK_STATUSES.find((value) => value === status) ?? '',
    rule: params.get('rule')?.trim() ?? '',
  };
}

export function linksAddress(filters: LinkFilters): string {
  const params = new URLSearchParams();
  if (filters.q !== '') params.set('q', filters.q);
  if (filters.status !== '') params.set('status', filters.status);
  if (filters.rule !== '') params.set('rule', filters.rule);
  const search = params.toString();
  return search === '' ? '/links' : `/links?${search}`;
}
