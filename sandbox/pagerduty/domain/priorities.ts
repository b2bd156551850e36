import { pdError } from '../errors.js';
import type { Priority } from '../model.js';
import type { PagerDutyState } from '../state.js';

/** The account's priorities, most severe first; none when the `priorities` setting turns them off. */
export function accountPriorities(state: PagerDutyState, account: string): Priority[] {
  if (state.settings.priorities !== 'enabled') return [];
  return state.priorities.filter((p) => p.account === account);
}

/** A priority by id or by name (PUT accepts either, API-NOTES §2.5); unknown → 400/1020. */
export function resolvePriority(state: PagerDutyState, account: string, idOrName: string): Priority {
  const found = accountPriorities(state, account).find((p) => p.id === idOrName || p.name === idOrName);
  if (!found) throw pdError.invalidPriority(`Priority not found: ${idOrName}`);
  return found;
}
