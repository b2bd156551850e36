import { z } from 'zod';

/** Params of /api/users/:id. */
export const userParamsSchema = z.strictObject({ id: z.string().min(1).max(64) });
