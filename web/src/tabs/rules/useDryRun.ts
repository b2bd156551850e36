import { useState } from 'react';
import { ApiRequestError, type DryRunResponse } from '../../api/client.js';

export type DryRun =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'failed'; message: string; error: ApiRequestError }
  | { kind: 'done'; result: DryRunResponse };

/** The state of a Test rule run: start it with `run(() => api.testRule(id))`. */
export function useDryRun() {
  const [state, setState] = useState<DryRun>({ kind: 'idle' });

  async function run(call: () => Promise<DryRunResponse>): Promise<void> {
    setState({ kind: 'running' });
    try {
      setState({ kind: 'done', result: await call() });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setState({ kind: 'failed', message: caught.message, error: caught });
    }
  }

  return { state, run, reset: () => setState({ kind: 'idle' }) };
}
