// The hub's JSON API as a browser uses it (session cookie, Origin = PUBLIC_URL, X-CSRF-Token),
// and the set-up a chaos run needs: log in, connect both vendors through their consent pages,
// a Linear team webhook and a rule (docs/rules.md) whose PagerDuty subscription exists.
import { CHECKOUT_SERVICE, ENG_TEAM } from './vendors.mjs';

export function hubSession(hubUrl) {
  const cookies = new Map();
  let csrf = 'chaos';
  async function call(method, path, body) {
    const headers = { origin: hubUrl, 'x-csrf-token': csrf, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (cookies.size > 0) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${hubUrl}${path}`, { method, headers, redirect: 'manual', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const text = await response.text();
    const parsed = text.startsWith('{') ? JSON.parse(text) : undefined;
    if (typeof parsed?.csrfToken === 'string') csrf = parsed.csrfToken;
    return { status: response.status, body: parsed, text, location: response.headers.get('location') };
  }
  const expect = async (status, method, path, body) => {
    const answer = await call(method, path, body);
    if (answer.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 300)}`);
    return answer;
  };
  return { call, expect };
}

/** Plays the person on a stand-in's consent page (the preselected account and user, "authorize"); returns the callback URL it redirects to. */
export async function consent(authorizationUrl) {
  const url = new URL(authorizationUrl);
  const page = await (await fetch(url)).text();
  const pick = (name) => {
    const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(page)?.[1] ?? '';
    return /<option value="([^"]*)" selected/.exec(select)?.[1] ?? /<option value="([^"]*)"/.exec(select)?.[1] ?? '';
  };
  const form = new URLSearchParams(url.searchParams);
  const accountField = page.includes('name="workspace"') ? 'workspace' : 'account';
  form.set(accountField, pick(accountField));
  form.set('user', pick('user'));
  form.set('decision', 'authorize');
  const answer = await fetch(`${url.origin}/oauth/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (location === null) throw new Error(`consent answered ${answer.status} without a redirect`);
  return new URL(location);
}

/**
 * Logs in as the bootstrap admin, connects PagerDuty then Linear, creates the ENG team webhook
 * and a rule paging Urgent and High issues in Todo/In Progress on Checkout API (the safety
 * valve at its maximum, 1,000 an hour), then waits for the rule's PagerDuty subscription.
 */
export async function setUpSync(hubUrl, admin, vendorsApi) {
  const session = hubSession(hubUrl);
  await session.expect(200, 'POST', '/api/session', admin);
  for (const provider of ['pagerduty', 'linear']) {
    const started = await session.expect(200, 'POST', `/api/connections/${provider}/authorize`, {});
    const callback = await consent(started.body.authorizationUrl);
    const landing = await session.expect(303, 'GET', `${callback.pathname}${callback.search}`);
    const attemptId = new URL(landing.location ?? '', hubUrl).searchParams.get('attempt');
    const attempt = await session.expect(200, 'GET', `/api/connections/attempts/${attemptId}`);
    if (attempt.body.attempt.outcome !== 'succeeded') throw new Error(`connecting ${provider}: ${JSON.stringify(attempt.body.attempt)}`);
  }
  await session.expect(201, 'POST', '/api/webhooks/linear', { teamId: ENG_TEAM });
  const rule = await session.expect(201, 'POST', '/api/rules', {
    name: 'Chaos: urgent engineering',
    filters: { teamId: ENG_TEAM, priorities: [1, 2], statusTypes: ['unstarted', 'started'] },
    routing: { serviceId: CHECKOUT_SERVICE, urgency: 'from_priority' },
    incidentsPerHour: 1000,
  });
  const deadline = Date.now() + 30_000;
  while (!(await vendorsApi.subscribedServices()).includes(CHECKOUT_SERVICE)) {
    if (Date.now() > deadline) throw new Error('the rule\'s PagerDuty subscription was not created within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { session, ruleId: rule.body.rule.id };
}
