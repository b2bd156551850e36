import type { IncidentStatus } from '../model.js';

/**
 * The incident status machine in one table (API-NOTES §2.5, §5.12). A cell is the webhook event
 * the change emits, or the error code that refuses it. Which code PagerDuty answers for which
 * refusal is unverified; these are the codes DD-ERR lists.
 */
export type Transition = { event: string } | { error: 1001 | 1002 | 1003; detail: string };

export const TRANSITIONS: Record<IncidentStatus, Record<IncidentStatus, Transition>> = {
  triggered: {
    triggered: { error: 1003, detail: 'Incident is already triggered' },
    acknowledged: { event: 'incident.acknowledged' },
    resolved: { event: 'incident.resolved' },
  },
  acknowledged: {
    // Back to triggered explicitly (or by acknowledgement timeout): incident.unacknowledged.
    triggered: { event: 'incident.unacknowledged' },
    acknowledged: { error: 1002, detail: 'Incident is already acknowledged' },
    resolved: { event: 'incident.resolved' },
  },
  resolved: {
    // Since 2025-09-18 a resolved incident can be reopened as triggered or acknowledged (OAS-CL).
    triggered: { event: 'incident.reopened' },
    acknowledged: { event: 'incident.reopened' },
    resolved: { error: 1001, detail: 'Incident is already resolved' },
  },
};

export const STATUSES: IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];

export function isStatus(value: string): value is IncidentStatus {
  return (STATUSES as string[]).includes(value);
}
