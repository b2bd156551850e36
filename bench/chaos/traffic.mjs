// The burst: people acting in Linear and PagerDuty while the hub is being killed. Every action is
// a real change at a stand-in, which sends its signed webhook to the hub (and retries it until a
// 2xx). Issues that match the rule (Urgent/High in Todo or In Progress) must page once; issues that
// do not must not, until someone raises them to Urgent; comments on paged issues must become one
// note each, notes on their incidents one comment each; an acknowledged incident moves its issue
// to the rule's Acknowledged Status (In Progress).

/** A small deterministic random source (mulberry32), so a run can be repeated with --seed. */
export function randomSource(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const MATCHING = [[1, 'Todo'], [2, 'Todo'], [1, 'In Progress'], [2, 'In Progress']];
const NOT_MATCHING = [[3, 'Todo'], [4, 'Todo'], [1, 'Backlog'], [0, 'Todo']];

/**
 * Starts acting in bursts (3–12 actions at once, then a pause of 0.2–1.5 s) until `stop()`.
 * `linkedPairs()` says which issues are paged already (issue id → incident id). The ledger lists
 * what was done, for the checks.
 */
export function startTraffic({ vendorsApi, random, marker, maxIssues, linkedPairs }) {
  const ledger = { issues: new Map(), comments: [], notes: [], acknowledged: new Map(), actions: 0, errors: [] };
  let stopped = false;
  let created = 0;
  let linked = new Map();
  const perIssue = (list, key, id) => list.filter((entry) => entry[key] === id).length;

  const actions = {
    async create() {
      if (created >= maxIssues) return actions.retitle();
      const n = ++created;
      const matches = random.chance(0.6);
      const [priority, state] = random.pick(matches ? MATCHING : NOT_MATCHING);
      const title = `${marker} #${n}`;
      const issue = await vendorsApi.createIssue(title, priority, state);
      ledger.issues.set(issue.id, { ...issue, title, priority, state, pages: matches, escalated: false });
    },
    async escalate() {
      const candidates = [...ledger.issues.values()].filter((issue) => !issue.pages && issue.state === 'Todo');
      if (candidates.length === 0) return actions.create();
      const issue = random.pick(candidates);
      await vendorsApi.updateIssue(issue.id, { priority: 1 });
      issue.pages = true;
      issue.escalated = true;
    },
    async retitle() {
      const issues = [...ledger.issues.values()];
      if (issues.length === 0) return undefined; // the first creates are still in flight
      const issue = random.pick(issues);
      issue.title = `${marker} #${issue.title.split('#')[1]?.split(' ')[0] ?? '?'} (edited ${random.between(1, 999)})`;
      await vendorsApi.updateIssue(issue.id, { title: issue.title });
    },
    async comment() {
      const candidates = [...linked.keys()].filter((id) => ledger.issues.has(id) && perIssue(ledger.comments, 'issueId', id) < 2);
      if (candidates.length === 0) return actions.create();
      const issueId = random.pick(candidates);
      const token = `c${ledger.comments.length + 1}x${random.between(100000, 999999)}`;
      await vendorsApi.comment(issueId, `Chaos comment ${token}: still investigating.`);
      ledger.comments.push({ issueId, token });
    },
    async note() {
      const candidates = [...linked].filter(([id]) => ledger.issues.has(id) && perIssue(ledger.notes, 'issueId', id) < 2);
      if (candidates.length === 0) return actions.create();
      const [issueId, incidentId] = random.pick(candidates);
      const token = `n${ledger.notes.length + 1}x${random.between(100000, 999999)}`;
      await vendorsApi.note(incidentId, `Chaos note ${token}: paging the database team.`);
      ledger.notes.push({ issueId, incidentId, token });
    },
    async acknowledge() {
      const candidates = [...linked].filter(([id, incidentId]) => ledger.issues.has(id) && !ledger.acknowledged.has(incidentId));
      if (candidates.length === 0) return actions.create();
      const [issueId, incidentId] = random.pick(candidates);
      ledger.acknowledged.set(incidentId, issueId); // before the call: a burst must not pick it twice
      try {
        await vendorsApi.acknowledge(incidentId);
      } catch (error) {
        ledger.acknowledged.delete(incidentId);
        throw error;
      }
    },
  };
  const menu = [['create', 0.42], ['escalate', 0.1], ['retitle', 0.12], ['comment', 0.16], ['note', 0.1], ['acknowledge', 0.1]];
  const choose = () => {
    let roll = random.next();
    for (const [name, weight] of menu) {
      roll -= weight;
      if (roll < 0) return name;
    }
    return 'create';
  };

  const done = (async () => {
    while (!stopped) {
      try {
        linked = await linkedPairs();
      } catch (error) {
        ledger.errors.push(`reading links: ${error.message}`);
      }
      const burst = Array.from({ length: random.between(3, 12) }, choose);
      await Promise.all(burst.map(async (name) => {
        try {
          ledger.actions++;
          await actions[name]();
        } catch (error) {
          ledger.errors.push(`${name}: ${error.message}`);
        }
      }));
      await new Promise((resolve) => setTimeout(resolve, random.between(200, 1500)));
    }
  })();
  return {
    ledger,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
