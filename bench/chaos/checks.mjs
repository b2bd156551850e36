// After the burst: wait until everything has settled, then compare what the stand-ins were told
// (their delivery logs) and what people did (the traffic ledger) with what the hub stored and did.

const settled = new Set(['delivered', 'dropped']);

async function pendingWork(database, vendorsApi) {
  const logs = [await vendorsApi.deliveryLog('linear'), await vendorsApi.deliveryLog('pagerduty')];
  const unsettled = logs.flatMap((log) => log.deliveries).filter((entry) => !entry.acked && !settled.has(entry.last.outcome)).length;
  const jobs = await database.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', 'in', ['queued', 'running'])
    .where('unique_key', 'is', null)
    .executeTakeFirstOrThrow();
  return { unsettled, jobs: Number(jobs.n), attempts: logs[0].attempts + logs[1].attempts };
}

/**
 * Waits until no delivery is still being retried by a stand-in and no job (scheduled ones aside)
 * is queued or running, twice in a row a second apart with nothing new sent in between. A job
 * whose process was killed runs again when its lease runs out (up to 55 s: docs/queue.md).
 */
export async function waitForDrain(database, vendorsApi, timeoutMs, onProgress) {
  const startedAt = Date.now();
  let previous;
  for (;;) {
    const now = await pendingWork(database, vendorsApi);
    onProgress?.(now);
    const quiet = now.unsettled === 0 && now.jobs === 0;
    if (quiet && previous !== undefined && previous.attempts === now.attempts && previous.unsettled === 0 && previous.jobs === 0) {
      return { drainedMs: Date.now() - startedAt, ...now };
    }
    if (Date.now() - startedAt > timeoutMs) return { drainedMs: Date.now() - startedAt, timedOut: true, ...now };
    previous = now;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Counts and violations. Nothing here trusts the hub's own account: vendors' state and logs first. */
export async function checkRun({ database, vendorsApi, ledger, marker }) {
  const violations = [];
  const counts = {};

  // 1. Every delivery a stand-in got a 2xx for is stored once and processed by one job that succeeded.
  const rows = await database.db.selectFrom('webhook_deliveries').select(['id', 'provider', 'external_id', 'outcome', 'outcome_detail', 'duplicates']).execute();
  const jobs = await database.db.selectFrom('jobs').select(['id', 'kind', 'status', 'payload', 'attempts', 'last_error', 'unique_key']).execute();
  const jobsByDelivery = new Map();
  for (const job of jobs) {
    if (job.kind !== 'webhook.process_delivery') continue;
    const deliveryId = JSON.parse(job.payload).deliveryId;
    jobsByDelivery.set(deliveryId, [...(jobsByDelivery.get(deliveryId) ?? []), job]);
  }
  const rowsByKey = new Map();
  for (const row of rows) rowsByKey.set(`${row.provider}:${row.external_id}`, [...(rowsByKey.get(`${row.provider}:${row.external_id}`) ?? []), row]);
  Object.assign(counts, { sent: 0, deliveries: 0, answered2xx: 0, stored: 0, processed: 0, droppedByVendor: 0 });
  const acknowledged = new Set();
  for (const provider of ['linear', 'pagerduty']) {
    const log = await vendorsApi.deliveryLog(provider);
    counts.sent += log.attempts;
    for (const entry of log.deliveries) {
      const { deliveryId } = entry;
      counts.deliveries++;
      if (!entry.acked) {
        if (entry.dropped) {
          counts.droppedByVendor++;
          violations.push(`${provider} delivery ${deliveryId}: the stand-in gave up after ${entry.attempts} attempts (last: ${entry.last.status ?? entry.last.error}) — the run is inconclusive for it`);
        }
        continue;
      }
      counts.answered2xx++;
      acknowledged.add(`${provider}:${deliveryId}`);
      const stored = rowsByKey.get(`${provider}:${deliveryId}`) ?? [];
      if (stored.length !== 1) {
        violations.push(`${provider} delivery ${deliveryId} answered 2xx but stored ${stored.length} times`);
        continue;
      }
      counts.stored++;
      const [row] = stored;
      const itsJobs = jobsByDelivery.get(row.id) ?? [];
      const problem =
        itsJobs.length !== 1 ? `${itsJobs.length} processing jobs`
          : itsJobs[0].status !== 'succeeded' ? `its job is ${itsJobs[0].status} (${itsJobs[0].last_error ?? ''})`
            : !['processed', 'ignored'].includes(row.outcome) ? `outcome ${row.outcome} (${row.outcome_detail ?? ''})`
              : undefined;
      if (problem === undefined) counts.processed++;
      else violations.push(`${provider} delivery ${deliveryId} (${row.id}): ${problem}`);
    }
  }
  counts.storedWithoutAck = rows.filter((row) => !acknowledged.has(`${row.provider}:${row.external_id}`)).length;
  counts.duplicatesAbsorbed = rows.reduce((sum, row) => sum + Number(row.duplicates), 0);
  counts.jobsRunMoreThanOnce = jobs.filter((job) => job.unique_key === null && Number(job.attempts) > 1).length;
  for (const job of jobs.filter((candidate) => candidate.status === 'dead')) violations.push(`job ${job.id} (${job.kind}) is dead: ${job.last_error ?? ''}`);
  for (const job of jobs.filter((candidate) => candidate.unique_key === null && ['queued', 'running'].includes(candidate.status))) {
    violations.push(`job ${job.id} (${job.kind}) is still ${job.status} after the drain`);
  }

  // 2. Two-way sync, read at the vendors: one incident per paging issue, none for the others;
  //    one note per comment on a paged issue, one comment per note on its incident.
  const incidents = (await vendorsApi.incidents()).filter((incident) => incident.title.includes(marker));
  const incidentsOf = new Map();
  for (const incident of incidents) {
    const identifier = /^\[([A-Z]+-\d+)\]/.exec(incident.title)?.[1] ?? '?';
    incidentsOf.set(identifier, [...(incidentsOf.get(identifier) ?? []), incident]);
  }
  const perIssue = { 0: 0, 1: 0, more: 0 };
  let paging = 0;
  for (const issue of ledger.issues.values()) {
    const found = incidentsOf.get(issue.identifier) ?? [];
    perIssue[found.length > 1 ? 'more' : found.length]++;
    if (issue.pages) paging++;
    const expected = issue.pages ? 1 : 0;
    if (found.length !== expected) {
      violations.push(`issue ${issue.identifier} (priority ${issue.priority}, ${issue.state}${issue.escalated ? ', raised to Urgent' : ''}) has ${found.length} incidents, expected ${expected}`);
    }
  }
  Object.assign(counts, { issues: ledger.issues.size, issuesThatPage: paging, incidentsPerIssue: perIssue });
  const notesCache = new Map();
  const notesOf = async (id) => notesCache.get(id) ?? notesCache.set(id, await vendorsApi.notes(id)).get(id);
  const commentsCache = new Map();
  const commentsOf = async (id) => commentsCache.get(id) ?? commentsCache.set(id, await vendorsApi.comments(id)).get(id);
  counts.comments = ledger.comments.length;
  counts.commentsMirrored = 0;
  for (const { issueId, token } of ledger.comments) {
    const issue = ledger.issues.get(issueId);
    const [incident] = incidentsOf.get(issue.identifier) ?? [];
    const mirrored = incident === undefined ? 0 : (await notesOf(incident.id)).filter((note) => note.content.includes(token)).length;
    if (mirrored === 1) counts.commentsMirrored++;
    else violations.push(`comment ${token} on ${issue.identifier} became ${mirrored} notes, expected 1`);
  }
  counts.notes = ledger.notes.length;
  counts.notesMirrored = 0;
  for (const { issueId, token } of ledger.notes) {
    const issue = ledger.issues.get(issueId);
    const mirrored = (await commentsOf(issueId)).filter((comment) => comment.body.includes(token)).length;
    if (mirrored === 1) counts.notesMirrored++;
    else violations.push(`note ${token} on the incident of ${issue.identifier} became ${mirrored} comments, expected 1`);
  }
  counts.acknowledged = ledger.acknowledged.size;
  counts.acknowledgedMoved = 0;
  for (const issueId of ledger.acknowledged.values()) {
    const issue = ledger.issues.get(issueId);
    const state = await vendorsApi.issueState(issueId);
    if (state === 'In Progress') counts.acknowledgedMoved++;
    else violations.push(`the incident of ${issue.identifier} was acknowledged but the issue is ${state}, expected In Progress`);
  }
  return { counts, violations };
}
