import type { z } from 'zod';
import { HttpError } from './errors.js';

type Where = 'body' | 'query' | 'params';

/**
 * Parses one part of a request with a (strict) zod schema, or throws a 400 naming every
 * problem: `invalid_body`, `invalid_query` or `invalid_params`, details = [{path, message}].
 * Values are never echoed back (they may be secrets).
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, where: Where): z.infer<T> {
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = details.map((d) => (d.path === '' ? d.message : `${d.path}: ${d.message}`)).join('; ');
  throw new HttpError(400, `invalid_${where}`, `The request ${where} is invalid: ${summary}`, details);
}
