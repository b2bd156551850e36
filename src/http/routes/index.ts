import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';

/**
 * Every /api route, registered in one place. Each endpoint lives in its own file under
 * routes/api/, in folders that mirror the URL.
 */
export async function registerApiRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  void app;
  void deps;
}
