import { z } from 'zod';
import { PROVIDER_KEYS } from '../providers/names.js';

/** Times in answers: ISO-8601 strings in UTC ("2026-01-01T09:30:00.000Z"). */
export const isoTime = z.iso.datetime();

/** The providers' keys come from the registry's list: a new provider is accepted everywhere at once. */
export const providerSchema = z.enum(PROVIDER_KEYS);
export type Provider = z.infer<typeof providerSchema>;

/**
 * The query schema of every endpoint that takes no query parameters: anything in the query
 * string is refused (400 invalid_query), like unknown body fields.
 */
export const noQuery = z.strictObject({});

/** The body of an action that takes none: nothing, or an empty object. */
export const emptyBody = z.strictObject({}).optional();

/** Params of the endpoints that address one thing by its id (`:id`). */
export const idParams = z.strictObject({ id: z.string().min(1).max(64) });
