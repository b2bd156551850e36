import type { FastifyInstance } from 'fastify';
import { isProviderName } from '../../../providers/names.js';
import type { AppDeps } from '../../deps.js';
import { optionalSession } from '../../guards.js';

/**
 * GET /oauth/:provider/callback — where PagerDuty and Linear send the browser back. Always a
 * 303 to the Connections tab: `?attempt=<id>` (the tab reads the outcome, success or failure,
 * from the API), or — when the browser has no hub session any more — `?provider=…&error=<code>`
 * (session_required, or state_unknown / state_reused / state_missing for a reply that was bad
 * anyway). No free text in the URL, so a forged link cannot put words on the page.
 * Each provider's callback accepts only its own attempts.
 */
export function registerOAuthCallback(app: FastifyInstance, deps: AppDeps): void {
  app.get('/oauth/:provider/callback', async (request, reply) => {
    const provider = (request.params as { provider?: string }).provider;
    if (!isProviderName(provider)) return reply.code(404).send({ error: { code: 'not_found', message: 'Unknown provider.' } });
    // The raw query, so repeated parameters reach oauth4webapi's checks as they came.
    const parameters = new URL(request.url, 'http://callback.invalid').searchParams;
    const result = await deps.connections.completeConnect(provider, parameters, optionalSession(request));
    const target = new URL('/connections', deps.config.publicUrl);
    if (result.kind === 'attempt') target.searchParams.set('attempt', result.attemptId);
    else {
      target.searchParams.set('provider', provider);
      target.searchParams.set('error', result.code);
    }
    return reply.code(303).header('cache-control', 'no-store').redirect(target.toString(), 303);
  });
}
