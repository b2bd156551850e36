import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/** The hub's error shape, used by the control API: {"error":{"code","message","details"}}. */
export interface ControlErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function controlError(code: string, message: string, details?: unknown): ControlErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * Parses a control-API input with a strict zod schema. On failure it answers
 * 400 {"error":{"code":"invalid_body"|"invalid_query","message","details":[{path,message}]}}
 * and returns undefined, so a route does `const body = parseOr400(...); if (!body) return reply;`.
 */
export function parseOr400<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: 'body' | 'query' | 'params',
  reply: FastifyReply,
): z.infer<T> | undefined {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const summary = details.map((d) => (d.path === '' ? d.message : `${d.path}: ${d.message}`)).join('; ');
  void reply.code(400).send(controlError(`invalid_${where}`, `The request ${where} is invalid: ${summary}`, details));
  return undefined;
}
