import { z } from 'zod';
import { noQuery } from './common.js';
import { endpoint, type ResponseBody } from './endpoint.js';

const metaResponseSchema = z.strictObject({
  version: z.string(),
  /** True until the first admin exists: the web app then shows "Create the first admin". */
  setupRequired: z.boolean(),
  /** True when the hub talks to the built-in sandbox instead of the real vendors. */
  sandboxMode: z.boolean(),
  /** In sandbox mode: the pages where a person acts as a PagerDuty responder or a Linear user. */
  sandbox: z.strictObject({ pagerdutyUrl: z.string(), linearUrl: z.string() }).nullable(),
  /**
   * RETENTION_DAYS: how far back Activity goes — deliveries, succeeded jobs and closed links'
   * timelines older than this are purged (dead jobs, open links and unpaged skips are kept).
   */
  retentionDays: z.number().int().positive(),
});

export const metaApi = {
  /** GET /api/meta — public: what the web app needs before anyone logs in. */
  get: endpoint({ method: 'GET', path: '/api/meta', query: noQuery, status: 200, response: metaResponseSchema }),
};

export type MetaResponse = ResponseBody<typeof metaApi.get>;
