import { z } from 'zod';

/** Params of /api/connections/:provider. */
export const providerParamsSchema = z.strictObject({ provider: z.enum(['pagerduty', 'linear']) });
