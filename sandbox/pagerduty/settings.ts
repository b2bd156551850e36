/**
 * Behaviour switches of the PagerDuty stand-in, changeable at runtime with
 * `POST /_sandbox/settings` and restored by reset. Each cites the API-NOTES item it models.
 */
export interface PagerDutySettings {
  /** §5.7: answer 401 with no JSON body (seen in the wild). Default false. */
  bare401: boolean;
  /** §5.9: require `From` even with user tokens. Default false (actor comes from the token). */
  strictFrom: boolean;
  /** §5.13: status of POST /incidents/{id}/notes — the OAS documents 200, 201 is often seen. Default 200. */
  noteCreateStatus: 200 | 201;
  /** §2.9: requests per minute per bucket. Default 960. */
  rateLimitPerMinute: number;
  /** §2.9: the stricter, unpublished limit on POST/PUT /incidents; null (default) = none. */
  incidentWriteLimitPerMinute: number | null;
  /** §5.13: at most this many notes per incident. Default 2000. */
  maxNotesPerIncident: number;
  /** Injected 429 faults answer with no rate-limit headers and no body (§5.15). Default false. */
  bareFault429: boolean;
  /** Cap on a note's length in characters; null (default) = none (PagerDuty documents none). */
  noteMaxLength: number | null;
  /**
   * §2.7, §14: whether accounts have priorities. `enabled` (default): P1–P5; `empty`: priorities
   * turned off — GET /priorities answers an empty list; `payment_required`: the plan lacks them —
   * GET /priorities answers 402, code 2014. In both other modes a priority on an incident is 400/1020.
   */
  priorities: PrioritiesMode;
  /**
   * §2.5: a PUT /incidents/{id} to the status the incident already has. PagerDuty lists error
   * codes 1001/1002 ("Incident Already Resolved/Acknowledged") but not when they apply.
   * 'error' (default): 400 with that code, nothing changed; 'ok': 200, the status is left as
   * it is and no webhook is sent (other fields of the same PUT still apply).
   */
  sameStatusUpdate: 'ok' | 'error';
  /**
   * §3.3: the webhook envelope's `client` ("may be null"). 'named' (default): `{name}` of the
   * OAuth app that made the change ("PagerDuty" for the web UI), null for API keys and
   * automation; 'null': always null.
   */
  webhookClient: 'null' | 'named';
  /**
   * §3.2: which service subscriptions receive `incident.service_updated` when an incident moves
   * to another service (undocumented). 'old_and_new' (default): both services' subscriptions
   * (and their teams'); 'new': only the new service's, like every later event of the incident.
   */
  serviceUpdatedDelivery: 'old_and_new' | 'new';
}

export const PRIORITIES_MODES = ['enabled', 'empty', 'payment_required'] as const;
export type PrioritiesMode = (typeof PRIORITIES_MODES)[number];

export const DEFAULT_SETTINGS: PagerDutySettings = {
  bare401: false,
  strictFrom: false,
  noteCreateStatus: 200,
  rateLimitPerMinute: 960,
  incidentWriteLimitPerMinute: null,
  maxNotesPerIncident: 2000,
  noteMaxLength: null,
  bareFault429: false,
  priorities: 'enabled',
  sameStatusUpdate: 'error',
  webhookClient: 'named',
  serviceUpdatedDelivery: 'old_and_new',
};
