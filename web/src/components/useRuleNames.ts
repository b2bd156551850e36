import { useEffect, useState } from 'react';
import { api, ApiRequestError, type NamedRef } from '../api/client.js';

/**
 * The organisation's rules (id and name), read once, for the Rule filters of Activity → Skipped
 * and Links; undefined while loading or when they could not be read (the filter then offers All
 * and the rule in the address only; the list itself still works).
 */
export function useRuleNames(): NamedRef[] | undefined {
  const [rules, setRules] = useState<NamedRef[]>();
  useEffect(() => {
    let current = true;
    api.rules().then(
      (answer) => {
        if (current) setRules(answer.rules.map(({ id, name }) => ({ id, name })));
      },
      (caught: unknown) => {
        if (!(caught instanceof ApiRequestError)) throw caught;
      },
    );
    return () => {
      current = false;
    };
  }, []);
  return rules;
}
