import type { FastifyInstance } from 'fastify';
import { pingDatabase } from '../../db/database.js';
import { isMigrated } from '../../db/migrate.js';
import type { AppDeps } from '../deps.js';

/** Liveness: the process answers. No database call, so a slow database never restarts us. */
export function registerHealthz(app: FastifyInstance): void {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
}

/** Readiness: the database answers and every migration is applied. 503 otherwise. */
export function registerReadyz(app: FastifyInstance, deps: AppDeps): void {
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const database = await pingDatabase(deps.database.db);
    const migrated = database && (await isMigrated(deps.database));
    const ready = database && migrated;
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      checks: { database: database ? 'ok' : 'unreachable', migrations: migrated ? 'ok' : 'pending' },
    });
  });
}
