import { z } from 'zod';

/**
 * The query schema of every endpoint that takes no query parameters: anything in the query
 * string is refused (400 invalid_query), like unknown body fields.
 */
export const noQuery = z.strictObject({});
