import type { FastifyInstance } from 'fastify';
import { actingUser, actorOf } from '../auth.js';
import type { PdContext } from '../context.js';
import { addNote } from '../domain/update-incident.js';
import { findIncident } from './incidents.js';
import { noteSchema } from './incident-schemas.js';
import { restRoute, wrapped } from './route.js';

/**
 * GET and POST /incidents/{id}/notes (API-NOTES §2.6, §5.13). POST answers 200 by default (the
 * OAS) or 201 with the `noteCreateStatus` setting.
 */
export function registerNotes(app: FastifyInstance, ctx: PdContext): void {
  restRoute(app, ctx, {
    method: 'GET',
    url: '/incidents/:id/notes',
    scope: 'incidents.read',
    handler: ({ caller, params }) => ({ notes: findIncident(ctx, caller, params.id!).notes.map((n) => ctx.wire.note(n)) }),
  });

  restRoute(app, ctx, {
    method: 'POST',
    url: '/incidents/:id/notes',
    scope: 'incidents.write',
    body: true,
    handler: ({ request, reply, caller, params }) => {
      const user = actingUser(ctx, caller, request);
      const incident = findIncident(ctx, caller, params.id!);
      const body = wrapped(request.body, 'note', noteSchema);
      const note = addNote(ctx, incident, body.content, actorOf(caller, user));
      void reply.code(ctx.state.settings.noteCreateStatus);
      return { note: ctx.wire.note(note) };
    },
  });
}
