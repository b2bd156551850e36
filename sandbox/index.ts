import type { FastifyBaseLogger } from 'fastify';
import { explainListenError } from '../src/core/listen-errors.js';
import { SandboxClock } from './common/clock.js';
import type { SandboxServer } from './common/server.js';
import { createLinearSandbox, type LinearSandbox } from './linear/index.js';
import { DEFAULT_CLIENTS as LINEAR_CLIENTS } from './linear/oauth/clients.js';
import { createPagerDutySandbox, type PagerDutySandbox } from './pagerduty/index.js';
import { DEFAULT_CLIENTS as PAGERDUTY_CLIENTS } from './pagerduty/oauth/clients.js';

export interface StartSandboxOptions {
  host: string;
  pagerdutyPort: number;
  linearPort: number;
  /** The hub's PUBLIC_URL: its OAuth callbacks are registered with both stand-ins. */
  hubPublicUrl?: URL;
  logger?: false | FastifyBaseLogger;
  /**
   * Delays before each webhook retry, for both stand-ins (default: each vendor's own schedule).
   * A compressed schedule lets a short run see every retry (bench/chaos).
   */
  retryScheduleMs?: number[];
}

export interface RunningSandbox {
  pagerduty: PagerDutySandbox;
  linear: LinearSandbox;
  pagerdutyUrl: string;
  linearUrl: string;
  /** One clock for both, so `POST /_sandbox/clock` on either moves time for the pair. */
  clock: SandboxClock;
  close(): Promise<void>;
}

/**
 * Starts the PagerDuty and Linear stand-ins side by side (`integration-hub sandbox`, and
 * `integration-hub start` in sandbox mode). Each listens on its own port so the hub's
 * provider clients differ from the real ones only in base URLs.
 */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const clock = new SandboxClock();
  const pagerdutyUrl = `http://localhost:${options.pagerdutyPort}`;
  const linearUrl = `http://localhost:${options.linearPort}`;
  const callback = (provider: string) =>
    options.hubPublicUrl === undefined ? [] : [new URL(`/oauth/${provider}/callback`, options.hubPublicUrl).href];
  const logger = options.logger ?? false;

  const opened: SandboxServer[] = [];
  let pagerduty: PagerDutySandbox;
  let linear: LinearSandbox;
  try {
    pagerduty = await createPagerDutySandbox({
      baseUrl: pagerdutyUrl,
      clock,
      logger,
      ...(options.retryScheduleMs !== undefined ? { retryScheduleMs: options.retryScheduleMs } : {}),
      clients: PAGERDUTY_CLIENTS.map((client) => ({
        ...client,
        redirectUris: [...new Set([...client.redirectUris, ...callback('pagerduty')])],
      })),
    });
    opened.push(pagerduty);
    linear = await createLinearSandbox({
      baseUrl: linearUrl,
      clock,
      logger,
      ...(options.retryScheduleMs !== undefined ? { retryScheduleMs: options.retryScheduleMs } : {}),
      clients: LINEAR_CLIENTS.map((client) => ({
        ...client,
        redirectUris: [...new Set([...client.redirectUris, ...callback('linear')])],
      })),
    });
    opened.push(linear);
    await listen(pagerduty, options.pagerdutyPort, options.host, 'SANDBOX_PAGERDUTY_PORT');
    await listen(linear, options.linearPort, options.host, 'SANDBOX_LINEAR_PORT');
  } catch (error) {
    await Promise.allSettled(opened.map((server) => server.close()));
    throw error;
  }
  return {
    pagerduty,
    linear,
    pagerdutyUrl,
    linearUrl,
    clock,
    close: async () => {
      await Promise.allSettled([pagerduty.close(), linear.close()]);
    },
  };
}

async function listen(server: SandboxServer, port: number, host: string, portVariable: string): Promise<void> {
  try {
    await server.app.listen({ port, host });
  } catch (error) {
    throw explainListenError(error, `SANDBOX_HOST ${host} ${portVariable} ${port}`, {
      port: portVariable,
      host: 'SANDBOX_HOST',
    });
  }
}
