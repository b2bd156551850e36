import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiFaultSpec, FaultPlan } from './faults.js';

export interface ApiFaultResponders {
  /** Which paths are vendor API calls that faults may hit (never /_sandbox/ or pages). */
  isApiPath(path: string, method: string): boolean;
  /** Answers a '429' fault in the vendor's shape (headers, body). */
  tooManyRequests(reply: FastifyReply, spec: ApiFaultSpec, request: FastifyRequest): FastifyReply;
  /** Answers a '500' fault in the vendor's shape. */
  serverError(reply: FastifyReply, spec: ApiFaultSpec, request: FastifyRequest): FastifyReply;
  /** How long a 'timeout' fault holds the request before dropping the connection (default 60 000 ms). */
  hangMs?: number;
}

/**
 * Applies queued API faults in an onRequest hook, before authentication and rate limiting:
 * '429' and '500' answer at once in the vendor's shape; 'timeout' answers nothing, holds the
 * connection for `hangMs` (or until the app closes) and then drops it.
 */
export function registerApiFaults(app: FastifyInstance, faults: FaultPlan, responders: ApiFaultResponders): void {
  const hanging = new Set<{ timer: NodeJS.Timeout; release: () => void }>();
  app.addHook('onClose', async () => {
    for (const h of hanging) {
      clearTimeout(h.timer);
      h.release();
    }
    hanging.clear();
  });
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (!responders.isApiPath(path, request.method)) return;
    const spec = faults.takeApiFault(request.method, path);
    if (!spec) return;
    if (spec.kind === '429') return responders.tooManyRequests(reply, spec, request);
    if (spec.kind === '500') return responders.serverError(reply, spec, request);
    reply.hijack();
    await new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => entry.release(), responders.hangMs ?? 60_000), release: () => resolve() };
      entry.release = () => {
        hanging.delete(entry);
        resolve();
      };
      hanging.add(entry);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed as always set, but Node may null a request's socket internally (IncomingMessage.socket)
      request.raw.socket?.once('close', () => {
        clearTimeout(entry.timer);
        entry.release();
      });
    });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed as always set, but Node may null a request's socket internally (IncomingMessage.socket)
    request.raw.socket?.destroy();
    return reply;
  });
}
