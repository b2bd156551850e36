import type { Clock } from '../core/clock.js';
import type { Logger } from '../observability/logger.js';
import type { JobQueue } from '../queue/queue.js';
import type { ReferenceDeps } from './reference-source.js';

/** What the rules module is built from (main.ts passes it to RulesService). */
export interface RulesDeps extends ReferenceDeps {
  clock: Clock;
  logger: Logger;
  /** Rule changes enqueue `rules.follow_service` in their transaction (follow-service-job.ts). */
  queue: JobQueue;
}

/** Who makes a change: a user id (null: the hub itself). */
export interface Actor {
  userId: string | null;
}
