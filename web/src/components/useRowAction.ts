import { useState } from 'react';
import { ApiRequestError } from '../api/client.js';

/**
 * Actions on one item of a list the hub sent (a webhook, a connection, a job). `busy` is the
 * action running, if any. When the hub refuses one, its message goes to `onRefused`; a 409 or
 * 404 also means the list is out of date, so `reload` runs. Anything else is rethrown.
 */
export function useRowAction<Action extends string>(onRefused: (message: string) => void, reload: () => Promise<void>) {
  const [busy, setBusy] = useState<Action>();

  async function run(action: Action, perform: () => Promise<void>): Promise<void> {
    setBusy(action);
    try {
      await perform();
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      onRefused(caught.message);
      if (caught.status === 409 || caught.status === 404) await reload();
    } finally {
      setBusy(undefined);
    }
  }

  return { busy, setBusy, run };
}
