import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Endpoint, ParsedBody, ParsedParams, ParsedQuery, ResponseBody } from '../api/endpoint.js';
import { parseInput } from './validation.js';

/**
 * A request's inputs, each parsed with the contract's strict schema when the handler asks for
 * it (400 invalid_params / invalid_query / invalid_body). The handler asks after its access
 * check, so a caller without access learns nothing from validation.
 */
export interface ContractInput<E extends Endpoint> {
  params(): ParsedParams<E>;
  query(): ParsedQuery<E>;
  body(): ParsedBody<E>;
}

/** A handler answers the contract's response body, or — for a 204 endpoint — the sent reply. */
type Answer<E extends Endpoint> = E['response'] extends z.ZodType ? ResponseBody<E> : FastifyReply;

export type ContractHandler<E extends Endpoint> = (
  request: FastifyRequest,
  reply: FastifyReply,
  input: ContractInput<E>,
) => Promise<Answer<E>>;

/**
 * Registers the route of one endpoint of the contract (src/api): its method and path, its
 * success status, and inputs parsed with its schemas. The handler's answer is typed by the
 * contract's response schema, so a route cannot answer another shape than the web app expects.
 *
 * ```ts
 * route(app, usersApi.change, async (request, _reply, input) => {
 *   const { organisation } = requireAdmin(request);
 *   const { id } = input.params();
 *   input.query();
 *   const body = input.body();
 *   …
 * });
 * ```
 */
export function route<E extends Endpoint>(app: FastifyInstance, endpoint: E, handler: ContractHandler<E>): void {
  app.route({
    method: endpoint.method,
    url: endpoint.path,
    handler: async (request, reply) => {
      reply.code(endpoint.status);
      return handler(request, reply, contractInput(endpoint, request));
    },
  });
}

function contractInput<E extends Endpoint>(endpoint: E, request: FastifyRequest): ContractInput<E> {
  const declared = (schema: z.ZodType | undefined, where: string): z.ZodType => {
    if (schema === undefined) throw new Error(`${endpoint.method} ${endpoint.path} declares no ${where}`);
    return schema;
  };
  return {
    params: () => parseInput(declared(endpoint.params, 'params'), request.params, 'params') as ParsedParams<E>,
    query: () => parseInput(endpoint.query, request.query, 'query') as ParsedQuery<E>,
    body: () => parseInput(declared(endpoint.body, 'body'), request.body, 'body') as ParsedBody<E>,
  };
}
