import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { anyUserExists } from '../../../../accounts/users-repository.js';
import { metaApi } from '../../../../api/meta.js';
import { packageRoot } from '../../../../core/package-root.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';

/** GET /api/meta — public: what the web app needs before anyone logs in. */
export function registerGetMeta(app: FastifyInstance, deps: AppDeps): void {
  const { version } = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  route(app, metaApi.get, async (_request, _reply, input) => {
    input.query();
    return {
      version,
      setupRequired: !(await anyUserExists(deps.database.db)),
      sandboxMode: deps.sandbox !== undefined,
      sandbox: deps.sandbox ?? null,
      retentionDays: deps.config.retentionDays,
    };
  });
}
