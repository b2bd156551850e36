import { useCallback, useEffect, useState } from 'react';
import { ApiRequestError, api, type PagerDutyCatalog, type TeamCatalog } from '../../api/client.js';
import type { CatalogState } from './catalog-state.js';

/** Loads `call` now and on `retry`; a failure is a state the form shows, never thrown. */
function useCatalog<T>(call: (() => Promise<T>) | undefined): { state: CatalogState<T>; retry: () => void } {
  const [state, setState] = useState<CatalogState<T>>(call === undefined ? { kind: 'none' } : { kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (call === undefined) {
      setState({ kind: 'none' });
      return undefined;
    }
    let current = true;
    setState({ kind: 'loading' });
    call().then(
      (value) => {
        if (current) setState({ kind: 'loaded', value });
      },
      (caught: unknown) => {
        if (!(caught instanceof ApiRequestError)) throw caught;
        if (current) setState({ kind: 'failed', message: caught.message });
      },
    );
    return () => {
      current = false;
    };
  }, [call, attempt]);
  return { state, retry: useCallback(() => setAttempt((value) => value + 1), []) };
}

/** The team's states, projects and labels, read again whenever the form's Webhook changes. */
export function useTeamCatalog(teamId: string) {
  const call = useCallback(() => api.ruleTeamCatalog(teamId), [teamId]);
  return useCatalog<TeamCatalog>(teamId === '' ? undefined : call);
}

/** The PagerDuty account's services and priorities. */
export function usePagerDutyCatalog() {
  return useCatalog<PagerDutyCatalog>(api.rulePagerDutyCatalog);
}
