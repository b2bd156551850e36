import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isProviderName } from '../../../providers/names.js';
import { DeliveryIntake, type IntakeRefusal } from '../../../webhooks/receive-delivery.js';
import type { AppDeps } from '../../deps.js';
import { httpFailure } from '../../failures.js';

/** 4xx for every refusal, so providers do not retry forgeries; 503 only for a webhook being set up. */
const STATUSES: Record<IntakeRefusal, number> = {
  not_found: 404,
  webhook_not_ready: 503,
  signature_missing: 401,
  signature_invalid: 401,
  timestamp_missing: 401,
  timestamp_stale: 401,
  invalid_delivery: 400,
};

/** The `outcome` label of hub_webhook_deliveries_total for each refusal. */
const METRIC_OUTCOMES: Record<IntakeRefusal, string> = {
  not_found: 'unknown_endpoint',
  webhook_not_ready: 'not_ready',
  signature_missing: 'signature_missing',
  signature_invalid: 'signature_invalid',
  timestamp_missing: 'timestamp_missing',
  timestamp_stale: 'timestamp_stale',
  invalid_delivery: 'malformed',
};

/**
 * POST /webhooks/:provider/:id — where the providers deliver (the pipeline, the same for every
 * provider: webhooks/receive-delivery.ts). Order matters: a body over the cap → 413 (Fastify
 * refuses it while reading); unknown endpoint → 404; the raw body is checked against the
 * endpoint's signing secret before anything is parsed → 401; then parsed → 400 if it is not
 * the expected JSON (and valid UTF-8); a signed timestamp outside the provider's window (Linear:
 * 60 s) → 401; a webhook whose secret is not stored yet → 503 webhook_not_ready with
 * Retry-After. Stored, or a repeated delivery or a replay only counted: 200.
 */
export async function registerWebhookIntake(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const intake = new DeliveryIntake(deps);
  await app.register(async (scope) => {
    // The intake never looks at the Content-Type (the signature covers the bytes, whatever their
    // declared type). Fastify answers 415 to an empty or malformed one before any parser runs,
    // so it is dropped here: the request then reads like one without the header.
    scope.addHook('onRequest', async (request) => {
      delete request.raw.headers['content-type'];
    });
    // Raw bytes for these routes only: signatures are computed over the body as sent.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.config.webhookBodyLimitBytes }, (_request, body, done) =>
      done(null, body),
    );
    scope.post('/webhooks/:provider/:id', (request, reply) => receive(deps, intake, request, reply));
  });
}

async function receive(deps: AppDeps, intake: DeliveryIntake, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { provider, id } = request.params as { provider: string; id: string };
  const count = (outcome: string) => deps.metrics.webhookDeliveries.inc({ provider: isProviderName(provider) ? provider : 'unknown', outcome });
  // An empty header counts as absent (else every empty delivery id would be "the same delivery").
  const header = (name: string) => {
    const value = request.headers[name];
    const joined = (Array.isArray(value) ? value.join(',') : value)?.trim();
    return joined === '' ? undefined : joined;
  };
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const result = await intake.receive({ provider, endpointId: id, body, header }, request.log);
  if (!result.ok) {
    count(METRIC_OUTCOMES[result.code]);
    throw httpFailure(result, STATUSES, result.code === 'webhook_not_ready' ? { 'retry-after': '5' } : {});
  }
  count(result.value === 'stored' ? 'accepted' : result.value);
  return reply.code(200).send(result.value === 'stored' ? { received: true } : { received: true, duplicate: true });
}
