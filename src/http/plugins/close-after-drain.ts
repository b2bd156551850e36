import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown (docs/deployment.md#graceful-shutdown): once `app.close()` has begun, every
 * response — those of requests still in flight included — says `Connection: close`, so the
 * client or reverse proxy closes its keep-alive connection after it and the process can exit as
 * soon as the last answer is out. (Fastify marks only requests that arrive after the start of
 * the close, answering those 503; a connection whose request was already in flight stayed
 * open until the client's own keep-alive timeout, holding up the exit.)
 */
export function registerCloseAfterDrain(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (closing && request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
    return payload;
  });
}
