// Acting on the stand-ins as people and tools do (Linear GraphQL with the Acme admin's API key,
// PagerDuty REST with Acme's API key) and reading their state and delivery logs (/_sandbox/…).
const dist = new URL('../../dist/', import.meta.url);
const { SEED_IDS, seedId } = await import(new URL('sandbox/linear/seed.js', dist).href);

export const ENG_TEAM = SEED_IDS.acme.teams.ENG;
export const ENG_STATE = (name) => seedId('state', 'acme', 'ENG', name);
export const CHECKOUT_SERVICE = 'PSVC001';
const LINEAR_KEY = 'lin_api_sandbox_acme_admin';
const PD_KEY = 'acme_sandbox_api_key_0001';

async function json(response, what) {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  return text === '' ? undefined : JSON.parse(text);
}

export function vendors({ pagerdutyUrl, linearUrl, summaryUrl }) {
  const control = async (base, method, path, body) =>
    json(await fetch(`${base}${path}`, {
      method,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) } : {}),
    }), `${method} ${path}`);
  const gql = async (query, variables = {}) => {
    const body = await json(await fetch(`${linearUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: LINEAR_KEY },
      body: JSON.stringify({ query, variables }),
    }), 'Linear GraphQL');
    if (body.errors !== undefined) throw new Error(`Linear GraphQL: ${JSON.stringify(body.errors).slice(0, 300)}`);
    return body.data;
  };
  const rest = async (method, path, body) =>
    json(await fetch(`${pagerdutyUrl}${path}`, {
      method,
      headers: {
        authorization: `Token token=${PD_KEY}`,
        accept: 'application/vnd.pagerduty+json;version=2',
        from: 'admin@acme.example',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }), `PagerDuty ${method} ${path}`);

  return {
    pagerdutyUrl,
    linearUrl,
    /** The hub's OAuth callbacks, registered with both stand-ins' sandbox client. */
    async registerCallbacks(hubUrl) {
      for (const [provider, base] of [['pagerduty', pagerdutyUrl], ['linear', linearUrl]]) {
        await control(base, 'POST', '/_sandbox/clients', { clientId: 'integration-hub-sandbox', redirectUris: [`${hubUrl}/oauth/${provider}/callback`] });
      }
    },
    /**
     * Rate limits out of the way: this run is about crashes, not pacing (bench/end-to-end shows
     * pacing). Linear's sandbox default of 1,200 requests an hour per token would otherwise bound it.
     */
    async liftRateLimits() {
      const plenty = { requests: 10_000_000, complexity: 1_000_000_000 };
      await control(linearUrl, 'POST', '/_sandbox/settings', { rateLimits: { oauth: plenty, apiKey: plenty } });
      await control(pagerdutyUrl, 'POST', '/_sandbox/settings', { rateLimitPerMinute: 10_000_000 });
    },
    /** Delivery faults on both stand-ins (docs/sandbox.md "Fault injection"). */
    async deliveryFaults(faults) {
      for (const base of [pagerdutyUrl, linearUrl]) await control(base, 'POST', '/_sandbox/faults', { deliveries: faults });
    },
    /**
     * What a stand-in's webhook attempts came to, per delivery id (stand-ins.mjs):
     * `{ attempts, deliveries: [{ deliveryId, attempts, acked, dropped, last: {outcome, status, error} }] }`.
     */
    async deliveryLog(provider) {
      return json(await fetch(`${summaryUrl}/deliveries/${provider}`), `the ${provider} delivery summary`);
    },
    async subscribedServices() {
      return (await rest('GET', '/webhook_subscriptions')).webhook_subscriptions.map((subscription) => subscription.filter.id);
    },
    async createIssue(title, priority, state = 'Todo') {
      const data = await gql('mutation($input: IssueCreateInput!) { issueCreate(input: $input) { issue { id identifier } } }', {
        input: { teamId: ENG_TEAM, title, priority, stateId: ENG_STATE(state) },
      });
      return data.issueCreate.issue;
    },
    async updateIssue(id, input) {
      await gql('mutation($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success } }', { id, input });
    },
    async comment(issueId, body) {
      await gql('mutation($input: CommentCreateInput!) { commentCreate(input: $input) { success } }', { input: { issueId, body } });
    },
    async comments(issueId) {
      const found = [];
      let after = null;
      for (;;) {
        const data = await gql('query($id: String!, $after: String) { issue(id: $id) { comments(first: 100, after: $after) { nodes { id body } pageInfo { hasNextPage endCursor } } } }', { id: issueId, after });
        found.push(...data.issue.comments.nodes);
        if (!data.issue.comments.pageInfo.hasNextPage) return found;
        after = data.issue.comments.pageInfo.endCursor;
      }
    },
    async note(incidentId, content) {
      await rest('POST', `/incidents/${incidentId}/notes`, { note: { content } });
    },
    /** A responder acknowledges the incident (PUT /incidents/{id}). */
    async acknowledge(incidentId) {
      await rest('PUT', `/incidents/${incidentId}`, { incident: { type: 'incident_reference', status: 'acknowledged' } });
    },
    async issueState(issueId) {
      return (await gql('query($id: String!) { issue(id: $id) { state { name } } }', { id: issueId })).issue.state.name;
    },
    async notes(incidentId) {
      return (await rest('GET', `/incidents/${incidentId}/notes`)).notes;
    },
    /** Every incident of the account, any status. */
    async incidents() {
      const found = [];
      for (let offset = 0; ; offset += 100) {
        const page = await rest('GET', `/incidents?limit=100&offset=${offset}&statuses[]=triggered&statuses[]=acknowledged&statuses[]=resolved`);
        found.push(...page.incidents);
        if (!page.more) return found;
      }
    },
  };
}
