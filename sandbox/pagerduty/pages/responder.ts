import type { FastifyInstance, FastifyReply } from 'fastify';
import { PAGE_HEADERS } from '../../common/html.js';
import type { PdContext } from '../context.js';
import { createIncident } from '../domain/create-incident.js';
import { addNote, updateIncident } from '../domain/update-incident.js';
import { PdError } from '../errors.js';
import type { Actor, IncidentStatus } from '../model.js';
import { renderResponder } from './responder-view.js';
import { STYLESHEET, STYLESHEET_PATH } from './style.js';

type Form = Record<string, unknown>;
const field = (form: Form, name: string) => (typeof form[name] === 'string' ? form[name] : '');

/** The web UI's actions carry the human as agent and "PagerDuty" as client (API-NOTES §3.3). */
function webActor(userId: string): Actor {
  return { userId, clientName: 'PagerDuty' };
}

function pageErrorMessage(error: unknown): string {
  if (error instanceof PdError && error.body) {
    const e = (error.body as { error?: { message?: string; errors?: string[] } }).error;
    return [e?.message, ...(e?.errors ?? [])].filter(Boolean).join(': ');
  }
  throw error;
}

/** GET / (the responder page), its stylesheet, and the form actions under /_sandbox/ui/. */
export function registerResponderPage(app: FastifyInstance, ctx: PdContext): void {
  app.get(STYLESHEET_PATH, async (_request, reply) => reply.header('content-type', 'text/css; charset=utf-8').send(STYLESHEET));

  app.get('/', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const account = ctx.state.account(q.account ?? '') ?? [...ctx.state.accounts.values()][0]!;
    const asked = q.as ? ctx.state.users.get(q.as) : undefined;
    const actingAs = asked?.account === account.subdomain ? asked : ctx.state.adminOf(account.subdomain)!;
    const view = { account, actingAs, ...(q.notice ? { notice: q.notice } : {}), ...(q.error ? { error: q.error } : {}) };
    return reply.headers(PAGE_HEADERS).send(renderResponder(ctx.state, view));
  });

  const act = (reply: FastifyReply, form: Form, run: (account: string, actor: Actor) => { anchor: string; notice: string }) => {
    const account = ctx.state.account(field(form, 'account'));
    const user = ctx.state.users.get(field(form, 'as'));
    const back = new URLSearchParams({ account: account?.subdomain ?? '', as: user?.id ?? '' });
    let anchor = '';
    if (!account || user?.account !== account.subdomain) back.set('error', 'Choose an account and a user of it.');
    else {
      try {
        const done = run(account.subdomain, webActor(user.id));
        back.set('notice', done.notice);
        anchor = done.anchor;
      } catch (error) {
        back.set('error', pageErrorMessage(error));
      }
    }
    return reply.redirect(`/?${back.toString()}${anchor}`, 303);
  };

  app.post('/_sandbox/ui/incidents', async (request, reply) =>
    act(reply, (request.body ?? {}) as Form, (account, actor) => {
      const form = (request.body ?? {}) as Form;
      const urgency = field(form, 'urgency');
      const incident = createIncident(ctx, account, {
        title: field(form, 'title').trim() || 'Untitled incident',
        serviceId: field(form, 'service'),
        ...(urgency === 'high' || urgency === 'low' ? { urgency } : {}),
      }, actor);
      return { anchor: `#incident-${incident.id}`, notice: `Triggered #${incident.number}.` };
    }),
  );

  // Keyed by any string: the action comes from the URL.
  const transitions: Readonly<Partial<Record<string, IncidentStatus>>> = { acknowledge: 'acknowledged', resolve: 'resolved', reopen: 'triggered' };
  app.post('/_sandbox/ui/incidents/:id/:action', async (request, reply) => {
    const { id, action } = request.params as { id: string; action: string };
    const form = (request.body ?? {}) as Form;
    return act(reply, form, (account, actor) => {
      const incident = ctx.state.inAccount(ctx.state.incidents, id, account);
      if (!incident) throw new PdError(404, { error: { message: 'Not Found', errors: [`No incident ${id}`] } });
      if (action === 'notes') {
        addNote(ctx, incident, field(form, 'content'), actor);
        return { anchor: `#incident-${id}`, notice: `Note added to #${incident.number}.` };
      }
      const status = transitions[action];
      if (!status) throw new PdError(404, { error: { message: 'Not Found', errors: [`Unknown action ${action}`] } });
      updateIncident(ctx, incident, { status }, actor);
      const done = action === 'reopen' ? `reopened (${incident.status})` : incident.status;
      return { anchor: `#incident-${id}`, notice: `#${incident.number} is now ${done}.` };
    });
  });
}
