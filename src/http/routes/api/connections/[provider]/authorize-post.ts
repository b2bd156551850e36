import type { FastifyInstance } from 'fastify';
import { connectionsApi } from '../../../../../api/connections.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';

/**
 * POST /api/connections/:provider/authorize — admin: starts a Connect (or Reconnect). Answers
 * the provider's authorize URL for this attempt; 409 already_connected, pagerduty_not_connected
 * or provider_unconfigured when it cannot start.
 */
export function registerPostAuthorize(app: FastifyInstance, deps: AppDeps): void {
  route(app, connectionsApi.authorize, async (request, _reply, input) => {
    const context = requireAdmin(request);
    const { provider } = input.params();
    input.query();
    input.body();
    const started = await deps.connections.startConnect(context, provider);
    if (!started.ok) throw httpFailure(started, { already_connected: 409, pagerduty_not_connected: 409, provider_unconfigured: 409 });
    request.log.info({ provider, attemptId: started.value.attemptId, by: context.user.id }, 'connect started');
    return started.value;
  });
}
