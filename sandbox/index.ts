import type { FastifyBaseLogger } from 'fastify';
import { OperatorError } from '../src/core/operator-error.js';
import { SandboxClock } from './common/clock.js';
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

  const pagerduty = await createPagerDutySandbox({
    baseUrl: pagerdutyUrl,
    clock,
    logger,
    clients: PAGERDUTY_CLIENTS.map((client) => ({
      ...client,
      redirectUris: [...new Set([...client.redirectUris, ...callback('pagerduty')])],
    })),
  });
  const linear = await createLinearSandbox({
    baseUrl: linearUrl,
    clock,
    logger,
    clients: LINEAR_CLIENTS.map((client) => ({
      ...client,
      redirectUris: [...new Set([...client.redirectUris, ...callback('linear')])],
    })),
  });
  try {
    await pagerduty.app.listen({ port: options.pagerdutyPort, host: options.host });
    await linear.app.listen({ port: options.linearPort, host: options.host });
  } catch (error) {
    await Promise.allSettled([pagerduty.close(), linear.close()]);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new OperatorError(
        `a sandbox port is already in use (PagerDuty ${options.pagerdutyPort}, Linear ${options.linearPort}): ` +
          'stop the other process, or set SANDBOX_PAGERDUTY_PORT / SANDBOX_LINEAR_PORT, or SANDBOX=off',
        { cause: error },
      );
    }
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
