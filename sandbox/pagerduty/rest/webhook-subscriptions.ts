import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Caller } from '../auth.js';
import type { PdContext } from '../context.js';
import { pdError } from '../errors.js';
import type { WebhookSubscription } from '../model.js';
import { paginate, parsePageQuery, single } from '../pagination.js';
import { restRoute, wrapped } from './route.js';
import { createSubscriptionSchema, updateSubscriptionSchema } from './subscription-schemas.js';

const MAX_PER_FILTER = 10;
/** Base roles that may manage subscriptions: Manager (`user`), Admin, Owner (API-NOTES §3.1, KB-WH). */
const MANAGING_ROLES = ['owner', 'admin', 'user'];

function requireManager(caller: Caller): void {
  if (caller.user && !MANAGING_ROLES.includes(caller.user.role)) {
    throw pdError.accessDenied('Managing webhook subscriptions requires the Manager, Admin or Owner role');
  }
}

function find(ctx: PdContext, caller: Caller, id: string): WebhookSubscription {
  const sub = ctx.state.inAccount(ctx.state.subscriptions, id, caller.account.subdomain);
  if (!sub) throw pdError.notFound();
  return sub;
}

function checkFilter(ctx: PdContext, caller: Caller, filter: { type: WebhookSubscription['filter']['type']; id?: string | undefined }, except?: string) {
  const account = caller.account.subdomain;
  const id = filter.type === 'account_reference' ? null : filter.id!;
  if (filter.type === 'service_reference' && !ctx.state.serviceIn(id!, account)) throw pdError.invalidInput(`filter.id: service ${id} not found`);
  if (filter.type === 'team_reference' && !ctx.state.inAccount(ctx.state.teams, id!, account)) throw pdError.invalidInput(`filter.id: team ${id} not found`);
  // At most 10 subscriptions per service, per team and at the account scope (§3.1, KB-WH).
  const same = [...ctx.state.subscriptions.values()].filter((s) => s.account === account && s.id !== except && s.filter.type === filter.type && s.filter.id === id);
  if (same.length >= MAX_PER_FILTER) throw pdError.invalidInput(`A ${filter.type.replace('_reference', '')} can have at most ${MAX_PER_FILTER} webhook subscriptions`);
  return { type: filter.type, id };
}

/** Webhook subscription endpoints (API-NOTES §3.1, §5.17). */
export function registerWebhookSubscriptions(app: FastifyInstance, ctx: PdContext): void {
  restRoute(app, ctx, {
    method: 'GET',
    url: '/webhook_subscriptions',
    scope: 'webhook_subscriptions.read',
    handler: ({ caller, query }) => {
      ctx.webhooks.expireDisablements();
      const page = parsePageQuery(query);
      const filterType = single(query.filter_type);
      const filterId = single(query.filter_id);
      if (filterType !== undefined && !['account', 'service', 'team'].includes(filterType)) throw pdError.invalidInput('filter_type must be account, service or team');
      const subs = [...ctx.state.subscriptions.values()]
        .filter((s) => s.account === caller.account.subdomain)
        .filter((s) => filterType === undefined || s.filter.type === `${filterType}_reference`)
        .filter((s) => filterId === undefined || s.filter.id === filterId);
      const { items, page: p } = paginate(subs, page);
      return { webhook_subscriptions: items.map((s) => ctx.wire.subscription(s, { withSecret: false })), ...p };
    },
  });

  restRoute(app, ctx, {
    method: 'POST',
    url: '/webhook_subscriptions',
    scope: 'webhook_subscriptions.write',
    body: true,
    handler: ({ request, caller }) => {
      requireManager(caller);
      const body = wrapped(request.body, 'webhook_subscription', createSubscriptionSchema);
      const filter = checkFilter(ctx, caller, body.filter);
      const sub: WebhookSubscription = {
        id: ctx.state.nextId('PWH'),
        account: caller.account.subdomain,
        deliveryMethodId: ctx.state.nextId('PDM'),
        url: body.delivery_method.url,
        secret: randomBytes(24).toString('base64url'),
        previousSecret: null,
        customHeaders: body.delivery_method.custom_headers ?? [],
        description: body.description ?? '',
        events: body.events,
        filter,
        active: body.active ?? true,
        temporarilyDisabled: false,
        disabledUntil: null,
        consecutiveDrops: 0,
        oauthClientId: body.oauth_client_id ?? null,
        creatorScopes: caller.scopes,
        createdAt: ctx.clock.now(),
      };
      ctx.state.subscriptions.set(sub.id, sub);
      // The only response that carries the secret (§3.1); the OAS documents 200.
      return { webhook_subscription: ctx.wire.subscription(sub, { withSecret: true }) };
    },
  });

  restRoute(app, ctx, {
    method: 'GET',
    url: '/webhook_subscriptions/:id',
    scope: 'webhook_subscriptions.read',
    handler: ({ caller, params }) => {
      ctx.webhooks.expireDisablements();
      return { webhook_subscription: ctx.wire.subscription(find(ctx, caller, params.id!), { withSecret: false }) };
    },
  });

  restRoute(app, ctx, {
    method: 'PUT',
    url: '/webhook_subscriptions/:id',
    scope: 'webhook_subscriptions.write',
    body: true,
    handler: ({ request, caller, params }) => {
      requireManager(caller);
      const sub = find(ctx, caller, params.id!);
      const body = wrapped(request.body, 'webhook_subscription', updateSubscriptionSchema);
      if (body.delivery_method !== undefined) throw pdError.invalidInput('delivery_method cannot be changed; create a new subscription instead');
      const filter = body.filter ? checkFilter(ctx, caller, body.filter, sub.id) : undefined;
      if (body.description !== undefined) sub.description = body.description;
      if (body.events !== undefined) sub.events = body.events;
      if (filter) sub.filter = filter;
      if (body.active !== undefined) sub.active = body.active;
      if (body.oauth_client_id !== undefined) sub.oauthClientId = body.oauth_client_id;
      return { webhook_subscription: ctx.wire.subscription(sub, { withSecret: false }) };
    },
  });

  restRoute(app, ctx, {
    method: 'DELETE',
    url: '/webhook_subscriptions/:id',
    scope: 'webhook_subscriptions.write',
    handler: ({ reply, caller, params }) => {
      requireManager(caller);
      const sub = find(ctx, caller, params.id!);
      ctx.state.subscriptions.delete(sub.id);
      ctx.dispatcher.discard((d) => d.subscriptionId === sub.id);
      void reply.code(204);
      return undefined;
    },
  });

  restRoute(app, ctx, {
    method: 'POST',
    url: '/webhook_subscriptions/:id/ping',
    scope: 'webhook_subscriptions.write',
    handler: ({ reply, caller, params }) => {
      requireManager(caller);
      ctx.webhooks.ping(find(ctx, caller, params.id!));
      void reply.code(202);
      return undefined;
    },
  });

  restRoute(app, ctx, {
    method: 'POST',
    url: '/webhook_subscriptions/:id/enable',
    scope: 'webhook_subscriptions.write',
    handler: ({ caller, params }) => {
      requireManager(caller);
      const sub = find(ctx, caller, params.id!);
      ctx.webhooks.enable(sub);
      return { webhook_subscription: ctx.wire.subscription(sub, { withSecret: false }) };
    },
  });
}
