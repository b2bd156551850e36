import { createLinearSandbox, type LinearSandbox, type LinearSandboxOptions } from './index.js';

export interface ServeOptions extends Omit<LinearSandboxOptions, 'baseUrl'> {
  /** Default 4020. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default http://localhost:{port}. */
  baseUrl?: string;
}

/** Builds the Linear stand-in and listens (for the CLI's `sandbox` command and demos). */
export async function serveLinearSandbox(options: ServeOptions = {}): Promise<LinearSandbox & { url: string }> {
  const { port = 4020, host = '127.0.0.1', baseUrl, ...rest } = options;
  const url = baseUrl ?? `http://localhost:${port}`;
  const sandbox = await createLinearSandbox({ ...rest, baseUrl: url });
  await sandbox.app.listen({ port, host });
  return Object.assign(sandbox, { url });
}
