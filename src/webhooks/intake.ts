import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newId } from '../core/ids.js';
import type { ProviderName } from '../db/tables.js';
import type { AppDeps } from '../http/deps.js';
import { errorBody } from '../http/errors.js';
import { insertDeliveryOnce } from './deliveries-repository.js';
import { findEndpointForIntake, recordRefusal, touchLastDelivery } from './endpoints-repository.js';
import { MalformedDeliveryError, parseLinearDelivery, parsePagerDutyDelivery, type ParsedDelivery } from './parse-delivery.js';
import { PROCESS_DELIVERY } from './process-delivery.js';
import { checkLinearTimestamp, verifyLinearSignature, verifyPagerDutySignature, WebhookVerificationError } from './signatures.js';
import { SigningSecrets } from './signing-secrets.js';

/**
 * POST /webhooks/linear/:id and /webhooks/pagerduty/:id — where the providers deliver.
 * Order matters: a body over the cap → 413 (Fastify refuses it while reading); unknown
 * endpoint → 404; the raw body is checked against the endpoint's signing secret before
 * anything is parsed → 401; then parsed → 400 if it is not
 * the expected JSON; Linear's signed timestamp must be within 60 s → 401. Only then is the
 * delivery stored with its processing job, in one transaction, and 200 answered. A repeated
 * delivery (same Linear-Delivery / X-Webhook-Id) is answered 200 and only counted. 4xx for
 * every refusal, so providers do not retry forgeries; a 5xx only if the hub cannot store.
 */
export async function registerWebhookIntake(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const secrets = new SigningSecrets(deps.database, deps.vault);
  await app.register(async (scope) => {
    // Raw bytes for these routes only: signatures are computed over the body as sent.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.config.webhookBodyLimitBytes }, (_request, body, done) =>
      done(null, body),
    );
    scope.post('/webhooks/:provider/:id', (request, reply) => receive(deps, secrets, request, reply));
  });
}

async function receive(deps: AppDeps, secrets: SigningSecrets, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { provider, id } = request.params as { provider: string; id: string };
  const count = (outcome: string) => deps.metrics.webhookDeliveries.inc({ provider: isProvider(provider) ? provider : 'unknown', outcome });
  if (!isProvider(provider)) {
    count('unknown_endpoint');
    return reply.code(404).send(errorBody('not_found', 'No such webhook.'));
  }
  const endpoint = await findEndpointForIntake(deps.database.db, provider, id);
  if (endpoint === undefined) {
    count('unknown_endpoint');
    return reply.code(404).send(errorBody('not_found', 'No such webhook.'));
  }
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const secret = await secrets.of(endpoint);
  if (secret === undefined) {
    // A PagerDuty subscription between its creation and the storing of the secret PagerDuty
    // returned: ask for a retry (5xx) instead of a 4xx that PagerDuty would drop.
    count('not_ready');
    return reply.code(503).header('retry-after', '5').send(errorBody('webhook_not_ready', 'This webhook is being set up; try again shortly.'));
  }
  // An empty header counts as absent (else every empty delivery id would be "the same delivery").
  const header = (name: string) => {
    const value = request.headers[name];
    const joined = (Array.isArray(value) ? value.join(',') : value)?.trim();
    return joined === '' ? undefined : joined;
  };
  let parsed: ParsedDelivery;
  let externalId: string;
  try {
    if (provider === 'linear') {
      verifyLinearSignature(secret, body, header('linear-signature'));
      parsed = parseLinearDelivery(body);
      checkLinearTimestamp(parsed.webhookTimestamp, deps.clock.now());
      externalId = header('linear-delivery') ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
    } else {
      verifyPagerDutySignature(secret, body, header('x-pagerduty-signature'));
      const pd = parsePagerDutyDelivery(body);
      parsed = pd;
      externalId = header('x-webhook-id') ?? pd.eventId ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
    }
  } catch (error) {
    if (error instanceof WebhookVerificationError || error instanceof MalformedDeliveryError) {
      await recordRefusal(deps.database.db, endpoint.id, error.message, deps.clock.now());
    }
    if (error instanceof WebhookVerificationError) {
      count(error.code);
      request.log.info({ endpointId: endpoint.id, code: error.code }, 'webhook refused');
      return reply.code(401).send(errorBody(error.code, error.message));
    }
    if (error instanceof MalformedDeliveryError) {
      count('malformed');
      return reply.code(400).send(errorBody('invalid_delivery', error.message));
    }
    throw error;
  }

  const now = deps.clock.now();
  const deliveryId = newId('dlv');
  const stored = await deps.database.db.transaction().execute(async (trx) => {
    const inserted = await insertDeliveryOnce(trx, {
      id: deliveryId,
      organisation_id: endpoint.organisation_id,
      endpoint_id: endpoint.id,
      provider,
      scope_kind: endpoint.scope_kind,
      scope_id: endpoint.scope_id,
      scope_name: endpoint.scope_name,
      external_id: externalId.slice(0, 200),
      event_type: parsed.eventType.slice(0, 200),
      entity_type: parsed.entityType.slice(0, 100),
      entity_id: parsed.entityId.slice(0, 200),
      entity_label: parsed.entityLabel?.slice(0, 300) ?? null,
      body: body.toString('utf8'),
      outcome: 'received',
      outcome_detail: null,
      duplicates: 0,
      job_id: null,
      received_at: now,
      processed_at: null,
    });
    if (inserted) {
      const jobId = await deps.queue.enqueue(trx, PROCESS_DELIVERY, { deliveryId }, { organisationId: endpoint.organisation_id, lane: parsed.lane });
      await trx.updateTable('webhook_deliveries').set({ job_id: jobId }).where('id', '=', deliveryId).execute();
    }
    await touchLastDelivery(trx, endpoint.id, now);
    return inserted;
  });
  if (stored) deps.queue.wake();
  count(stored ? 'accepted' : 'duplicate');
  return reply.code(200).send(stored ? { received: true } : { received: true, duplicate: true });
}

function isProvider(value: string): value is ProviderName {
  return value === 'linear' || value === 'pagerduty';
}
