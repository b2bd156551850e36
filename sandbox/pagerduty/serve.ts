import { createPagerDutySandbox, type PagerDutySandbox, type PagerDutySandboxOptions } from './index.js';

export interface ServeOptions extends Omit<PagerDutySandboxOptions, 'baseUrl'> {
  /** Default 4010. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default http://localhost:{port}. */
  baseUrl?: string;
}

/** Builds the PagerDuty stand-in and listens (for the CLI's `sandbox` command and demos). */
export async function servePagerDutySandbox(options: ServeOptions = {}): Promise<PagerDutySandbox & { url: string }> {
  const { port = 4010, host = '127.0.0.1', baseUrl, ...rest } = options;
  const url = baseUrl ?? `http://localhost:${port}`;
  const sandbox = await createPagerDutySandbox({ ...rest, baseUrl: url });
  await sandbox.app.listen({ port, host });
  return Object.assign(sandbox, { url });
}
