import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newId } from '../core/ids.js';
import type { ProviderName } from '../db/tables.js';
import type { AppDeps } from '../http/deps.js';
import { errorBody } from '../http/errors.js';
import { insertDeliveryOnce } from './deliveries-repository.js';
import { findEndpointForIntake, recordRefusal, touchLastDelivery, type EndpointRow } from './endpoints-repository.js';
import { bodyText, MalformedDeliveryError, parseLinearDelivery, parsePagerDutyDelivery, type ParsedDelivery } from './parse-delivery.js';
import { PROCESS_DELIVERY } from './process-delivery.js';
import { RefusalTracker } from './refusal-tracker.js';
import { linearKeys, pagerDutyKeys, type DeliveryKeys } from './replay-key.js';
import { checkLinearTimestamp, verifyLinearSignature, verifyPagerDutySignature, WebhookVerificationError } from './signatures.js';
import { SigningSecrets } from './signing-secrets.js';

/**
 * POST /webhooks/linear/:id and /webhooks/pagerduty/:id — where the providers deliver.
 * Order matters: a body over the cap → 413 (Fastify refuses it while reading); unknown
 * endpoint → 404; the raw body is checked against the endpoint's signing secret before
 * anything is parsed → 401; then parsed → 400 if it is not
 * the expected JSON (and valid UTF-8); Linear's signed timestamp must be within 60 s → 401.
 * Only then is the delivery stored with its processing job, in one transaction, and 200
 * answered. A repeated delivery (same Linear-Delivery / X-Webhook-Id: a vendor's retry) or a
 * replay (same signed content under another delivery id: replay-key.ts) is answered 200 and
 * only counted. 4xx for every refusal, so providers do not retry forgeries; a 5xx only if the
 * hub cannot store — never because of what a signed delivery contains (stored-text.ts).
 * Refusals are counted in memory; an endpoint is recorded Failing only on a sustained pattern
 * (refusal-tracker.ts), so a refused request normally writes nothing.
 */
export async function registerWebhookIntake(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const secrets = new SigningSecrets(deps.database, deps.vault);
  const refusals = new RefusalTracker();
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
    scope.post('/webhooks/:provider/:id', (request, reply) => receive(deps, secrets, refusals, request, reply));
  });
}

async function receive(
  deps: AppDeps,
  secrets: SigningSecrets,
  refusals: RefusalTracker,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
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
  let keys: DeliveryKeys;
  let text: string;
  try {
    if (provider === 'linear') {
      verifyLinearSignature(secret, body, header('linear-signature'));
      text = bodyText(body);
      parsed = parseLinearDelivery(text);
      checkLinearTimestamp(parsed.webhookTimestamp, deps.clock.now());
      keys = linearKeys(body, header('linear-delivery'));
    } else {
      verifyPagerDutySignature(secret, body, header('x-pagerduty-signature'));
      text = bodyText(body);
      const pd = parsePagerDutyDelivery(text);
      parsed = pd;
      keys = pagerDutyKeys(body, header('x-webhook-id'), pd.eventId);
    }
  } catch (error) {
    if (error instanceof WebhookVerificationError || error instanceof MalformedDeliveryError) {
      await countRefusal(deps, refusals, request, endpoint, error.message);
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
  const outcome = await deps.database.db.transaction().execute(async (trx) => {
    const stored = await insertDeliveryOnce(trx, {
      id: deliveryId,
      organisation_id: endpoint.organisation_id,
      endpoint_id: endpoint.id,
      provider,
      scope_kind: endpoint.scope_kind,
      scope_id: endpoint.scope_id,
      scope_name: endpoint.scope_name,
      // Already bounded and free of NUL (parse-delivery.ts, replay-key.ts).
      external_id: keys.externalId,
      replay_key: keys.replayKey,
      event_type: parsed.eventType,
      entity_type: parsed.entityType,
      entity_id: parsed.entityId,
      entity_label: parsed.entityLabel,
      body: text,
      outcome: 'received',
      outcome_detail: null,
      duplicates: 0,
      job_id: null,
      received_at: now,
      processed_at: null,
    });
    if (stored === 'stored') {
      const jobId = await deps.queue.enqueue(trx, PROCESS_DELIVERY, { deliveryId }, { organisationId: endpoint.organisation_id, lane: parsed.lane });
      await trx.updateTable('webhook_deliveries').set({ job_id: jobId }).where('id', '=', deliveryId).execute();
    }
    await touchLastDelivery(trx, endpoint.id, now);
    return stored;
  });
  refusals.accepted(endpoint.id);
  if (outcome === 'stored') deps.queue.wake();
  count(outcome === 'stored' ? 'accepted' : outcome);
  return reply.code(200).send(outcome === 'stored' ? { received: true } : { received: true, duplicate: true });
}

/**
 * Counts a refused request in memory; writes the endpoint's Failing record only when the
 * tracker says the pattern holds (at most once per endpoint per interval). A failed write is
 * logged, never turned into a 5xx: the sender still gets its 4xx.
 */
async function countRefusal(deps: AppDeps, refusals: RefusalTracker, request: FastifyRequest, endpoint: EndpointRow, reason: string): Promise<void> {
  const now = deps.clock.now();
  const mark = refusals.refused(endpoint, now);
  if (mark === undefined) return;
  const summary = `${mark.count} requests refused since ${new Date(mark.since).toISOString()}, none accepted; the latest: ${reason}`;
  try {
    await recordRefusal(deps.database.db, endpoint.id, summary, now);
    request.log.warn({ endpointId: endpoint.id, refusals: mark.count }, 'webhook failing');
  } catch (error) {
    request.log.error({ err: error, endpointId: endpoint.id }, 'could not record the webhook as failing');
  }
}

function isProvider(value: string): value is ProviderName {
  return value === 'linear' || value === 'pagerduty';
}
