import { z } from 'zod';

/**
 * The one shape of every error answer (src/http/plugins/error-handler.ts):
 *   {"error": {"code": "machine_readable", "message": "For people.", "details": …}}
 */
export const apiErrorSchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * `details` of 400 invalid_body / invalid_query / invalid_params, and of the field-level
 * refusals (weak_password, wrong_password, password_unchanged): one entry per problem.
 */
export const fieldProblemsSchema = z.array(z.strictObject({ path: z.string(), message: z.string() }));
export type ValidationDetails = z.infer<typeof fieldProblemsSchema>;

/** `details` of 429 too_many_attempts (also sent as the Retry-After header). */
export const tooManyAttemptsDetailsSchema = z.strictObject({ retryAfterSeconds: z.number().int().positive() });
export type TooManyAttemptsDetails = z.infer<typeof tooManyAttemptsDetailsSchema>;
