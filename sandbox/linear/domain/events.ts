import type { SandboxClock } from '../../common/clock.js';
import type { LinearSettings } from '../settings.js';
import type { LinearState } from '../state.js';
import type { LinearUrls } from '../urls.js';
import type { ActorPayload } from './actor.js';

/** A data change that webhooks report (API-NOTES §3.4): built by domain/, sent by webhooks.ts. */
export interface ChangeEvent {
  action: 'create' | 'update' | 'remove';
  type: 'Issue' | 'Comment';
  organizationId: string;
  /** The team the entity belongs to: team webhooks receive only their team's events. */
  teamId: string;
  /** An issue moved to another team: the old team's webhooks receive the event too. */
  previousTeamId?: string;
  data: Record<string, unknown>;
  /** On updates: previous values of the changed fields (null when previously unset). */
  updatedFrom?: Record<string, unknown>;
  url: string;
  actor: ActorPayload | null;
  /** When the change happened (sandbox clock, epoch ms). */
  createdAt: number;
}

/** What every domain operation needs. */
export interface DomainDeps {
  state: LinearState;
  clock: SandboxClock;
  urls: LinearUrls;
  emit(event: ChangeEvent): void;
  /** Drops queued and retry-waiting deliveries of a webhook that was disabled or deleted. */
  forgetDeliveries(webhookId: string): void;
  /** The current settings (they change at run time and on reset). */
  settings(): LinearSettings;
}
