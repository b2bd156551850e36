import type { Service, SupportHours, Urgency } from '../model.js';

/**
 * The urgency a new incident gets when the request names none (API-NOTES §2.4, §5.11): the
 * service's incident_urgency_rule — constant, or by whether `now` falls in its support hours.
 */
export function defaultUrgency(service: Service, now: number): Urgency {
  const rule = service.urgencyRule;
  if (rule.type === 'constant') return rule.urgency;
  return service.supportHours && inSupportHours(service.supportHours, now) ? rule.during : rule.outside;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function inSupportHours(hours: SupportHours, now: number): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(now));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAYS[get('weekday')] ?? 0;
  const time = `${get('hour')}:${get('minute')}:${get('second')}`;
  return hours.daysOfWeek.includes(day) && time >= hours.startTime && time < hours.endTime;
}
