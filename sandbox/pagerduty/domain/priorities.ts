import { pdError } from '../errors.js';
import type { Priority } from '../model.js';
import type { PagerDutyState } from '../state.js';

/** A priority by id or by name (PUT accepts either, API-NOTES §2.5); unknown → 400/1020. */
export function resolvePriority(state: PagerDutyState, account: string, idOrName: string): Priority {
  const found = state.priorities.find((p) => p.account === account && (p.id === idOrName || p.name === idOrName));
  if (!found) throw pdError.invalidPriority(`Priority not found: ${idOrName}`);
  return found;
}
