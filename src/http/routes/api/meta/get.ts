import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { anyUserExists } from '../../../../accounts/users-repository.js';
import { packageRoot } from '../../../../core/package-root.js';
import type { MetaResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { parseInput } from '../../../validation.js';
import { noQuery } from '../no-query.js';

/** GET /api/meta — public: what the web app needs before anyone logs in. */
export function registerGetMeta(app: FastifyInstance, deps: AppDeps): void {
  const { version } = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  app.get('/api/meta', async (request): Promise<MetaResponse> => {
    parseInput(noQuery, request.query, 'query');
    return {
      version,
      setupRequired: !(await anyUserExists(deps.database.db)),
      sandboxMode: deps.sandbox !== undefined,
      sandbox: deps.sandbox ?? null,
    };
  });
}
