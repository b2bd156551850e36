import { fail, ok, type Result } from '../core/result.js';
import { isUniqueViolation } from '../db/errors.js';
import { providers } from '../providers/registry.js';
import type { Actor, RulesDeps } from './deps.js';
import { followService } from './follow-service-job.js';
import type { PortableRef, PortableRule, PortableTeamRef, RulesDocument } from './portable.js';
import { editingAllowed, type ConnectionRefusal } from './readiness.js';
import { liveReferenceSource, type ReferenceSource, type TeamChoices } from './reference-source.js';
import { checkReferencesWith, type CheckedReferences, type ReferenceProblem, type RuleDraft } from './references.js';
import { describeChanges } from './rule-changes.js';
import { appendHistory, insertRule, listRules, nameKeyOf, nextPosition, updateRule } from './rules-repository.js';

/**
 * Importing a rules file (issue 10 item 9). Each reference resolves against this organisation's
 * connections by id first, then by name (a team: id, then key, then name; names ignoring case),
 * each catalog read once per import; then every rule is checked as a save checks it. Rules are
 * matched to the organisation's rules as they were before the import, by name ignoring case: a
 * match is updated (or left unchanged), the rest created at the end of the order in file order;
 * rules not in the file are left alone.
 *
 * The plan and the write are one code path: the writes run in one transaction, committed when
 * `apply` is true and rolled back when it is false, so the plan shown is exactly what applying
 * does — including a refusal the database makes midway (two rules of the file whose names differ
 * only in case), which undoes everything written before it.
 */

export interface ImportPlanEntry {
  name: string;
  action: 'create' | 'update' | 'unchanged';
  /** The rule it updates (or leaves); null when it creates one. */
  ruleId: string | null;
  /** For people: the differences an update makes. */
  changes: string[];
}

export interface ImportOutcome {
  applied: boolean;
  plan: ImportPlanEntry[];
}

export type ImportRefusal = ConnectionRefusal | 'invalid_rule' | 'rule_name_taken' | 'rule_changed';

/** Thrown inside the transaction to roll it back; carries the outcome out. */
class Rollback extends Error {
  constructor(readonly outcome: Result<ImportOutcome, ImportRefusal, ReferenceProblem[]>) {
    super('rolled back');
  }
}

export async function importRules(
  deps: RulesDeps,
  organisationId: string,
  actor: Actor,
  document: RulesDocument,
  apply: boolean,
): Promise<Result<ImportOutcome, ImportRefusal, ReferenceProblem[]>> {
  const db = deps.database.db;
  const allowed = await editingAllowed(db, organisationId);
  if (!allowed.ok) return fail(allowed.code, allowed.message);

  const source = liveReferenceSource(deps, organisationId);
  const problems: ReferenceProblem[] = [];
  const checked: Array<{ rule: PortableRule; references: CheckedReferences }> = [];
  for (const [index, rule] of document.rules.entries()) {
    const at = `rules.${index}`;
    const draft = await resolveRule(source, rule, at, problems);
    if (draft === undefined) continue;
    const result = await checkReferencesWith(source, draft);
    if (result.ok) checked.push({ rule, references: result.value });
    else problems.push(...(result.details ?? []).map((problem) => ({ ...problem, path: `${at}.${portablePath(problem.path)}` })));
  }
  const [first] = problems;
  if (first !== undefined) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return fail('invalid_rule', `Nothing was imported: ${first.path}: ${first.message}${more}`, problems);
  }

  const at = deps.clock.now();
  let index = -1;
  try {
    const outcome = await db.transaction().execute(async (trx) => {
      // Matched against the rules as they were before this import.
      const existing = new Map((await listRules(trx, organisationId)).map((rule) => [nameKeyOf(rule.name), rule]));
      let position = await nextPosition(trx, organisationId);
      const plan: ImportPlanEntry[] = [];
      for (const [i, { rule, references }] of checked.entries()) {
        index = i;
        const next = { name: rule.name, enabled: rule.enabled, incidentsPerHour: rule.incidentsPerHour, missingReferences: [], ...references };
        const match = existing.get(nameKeyOf(rule.name));
        if (match === undefined) {
          const created = await insertRule(trx, {
            organisationId,
            position: position++,
            pausedAt: null,
            pausedReason: null,
            createdAt: at,
            createdBy: actor.userId,
            ...next,
          });
          await appendHistory(trx, { ruleId: created.id, organisationId, at, userId: actor.userId, action: 'imported', changes: ['Created from an imported file'] });
          await followService(deps.queue, trx, organisationId, { id: created.routing.serviceId, name: created.names.service });
          plan.push({ name: rule.name, action: 'create', ruleId: null, changes: [] });
          continue;
        }
        const changes = describeChanges(match, next);
        if (match.missingReferences.length > 0) {
          changes.push(`Needs attention: cleared (${match.missingReferences.map((ref) => ref.name ?? ref.id).join(', ')} replaced)`);
        }
        if (changes.length === 0) {
          plan.push({ name: rule.name, action: 'unchanged', ruleId: match.id, changes: [] });
          continue;
        }
        const updated = await updateRule(trx, match, next, { at, userId: actor.userId });
        if (updated === undefined) {
          throw new Rollback(fail('rule_changed', `Someone changed the rule “${match.name}” during the import: nothing was imported; try again.`));
        }
        await appendHistory(trx, { ruleId: match.id, organisationId, at, userId: actor.userId, action: 'imported', changes });
        await followService(deps.queue, trx, organisationId, { id: updated.routing.serviceId, name: updated.names.service });
        if (match.routing.serviceId !== updated.routing.serviceId) {
          await followService(deps.queue, trx, organisationId, { id: match.routing.serviceId, name: match.names.service });
        }
        plan.push({ name: rule.name, action: 'update', ruleId: match.id, changes });
      }
      if (!apply) throw new Rollback(ok({ applied: false, plan }));
      return { applied: true, plan };
    });
    deps.queue.wake();
    deps.logger.info({ organisationId, by: actor.userId, rules: outcome.plan.length }, 'rules imported');
    return ok(outcome);
  } catch (error) {
    if (error instanceof Rollback) return error.outcome;
    if (isUniqueViolation(error)) {
      const name = document.rules[index]?.name ?? '';
      return fail('rule_name_taken', `Nothing was imported: the file names two rules “${name}” (names are compared ignoring case).`, [
        { path: `rules.${index}.name`, message: 'is taken by another rule of the file' },
      ]);
    }
    throw error;
  }
}

/** A path of the form's input (`filters.labelIds.1`) as the file's (`filters.labels.1`). */
function portablePath(path: string): string {
  return path
    .replace(/^filters\.teamId$/, 'filters.team')
    .replace(/^filters\.projectIds\./, 'filters.projects.')
    .replace(/^filters\.labelIds\./, 'filters.labels.')
    .replace(/^sync\.(acknowledged|resolved)StateId$/, 'sync.$1State')
    .replace(/^routing\.serviceId$/, 'routing.service')
    .replace(/^routing\.pagerdutyPriorityId$/, 'routing.pagerdutyPriority');
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** By id, then by name (ignoring case). */
function find<T extends { id: string; name: string }>(items: readonly T[], ref: PortableRef): T | undefined {
  const { id, name } = ref;
  return (id === undefined ? undefined : items.find((item) => item.id === id)) ?? (name === undefined ? undefined : items.find((item) => sameName(item.name, name)));
}

/** For messages: how the file names it. */
function described(ref: PortableTeamRef): string {
  const parts = [ref.name === undefined ? undefined : `“${ref.name}”`, ref.key, ref.id].filter((part) => part !== undefined);
  return parts.length === 0 ? '(named by nothing)' : parts.join(' / ');
}

/** The file's rule as a form draft with this organisation's ids; problems where a reference does not resolve. */
async function resolveRule(source: ReferenceSource, rule: PortableRule, at: string, problems: ReferenceProblem[]): Promise<RuleDraft | undefined> {
  const tracker = providers.get(source.tracker.provider);
  const pager = providers.get(source.pager.provider);
  const before = problems.length;
  const problem = (path: string, message: string) => problems.push({ path: `${at}.${path}`, message });

  const ref = rule.filters.team;
  const { key } = ref;
  const teams = await source.teams();
  const team =
    find(teams, { id: ref.id }) ??
    (key === undefined ? undefined : teams.find((candidate) => candidate.key !== null && sameName(candidate.key, key))) ??
    find(teams, { name: ref.name });
  const choices: TeamChoices | null = team === undefined ? null : await source.team(team.id);
  if (choices === null) problem('filters.team', `The connected ${tracker.displayName} ${tracker.accountNoun} has no team ${described(ref)}.`);

  const inTeam = (items: (choices: TeamChoices) => ReadonlyArray<{ id: string; name: string }>, refs: readonly PortableRef[], path: string, what: string) =>
    choices === null
      ? []
      : refs.flatMap((item, index) => {
          const found = find(items(choices), item);
          if (found === undefined) problem(`${path}.${index}`, `Team ${choices.team.name} has no ${what} ${described(item)}.`);
          return found === undefined ? [] : [found.id];
        });
  const projectIds = inTeam((c) => c.projects, rule.filters.projects, 'filters.projects', 'project');
  const labelIds = inTeam((c) => c.labels, rule.filters.labels, 'filters.labels', `label (nor the ${tracker.accountNoun})`);

  const state = (stateRef: PortableRef, path: string): string | undefined => {
    if (choices === null || (stateRef.id === undefined && stateRef.name === undefined)) return undefined; // the team's default
    const found = find(choices.states, stateRef);
    if (found === undefined) problem(path, `Team ${choices.team.name} has no workflow state ${described(stateRef)}.`);
    return found?.id;
  };
  const acknowledgedStateId = state(rule.sync.acknowledgedState, 'sync.acknowledgedState');
  const resolvedStateId = state(rule.sync.resolvedState, 'sync.resolvedState');

  const service = find(await source.services(), rule.routing.service);
  if (service === undefined) problem('routing.service', `The connected ${pager.displayName} ${pager.accountNoun} has no service ${described(rule.routing.service)}.`);

  let pagerdutyPriorityId: string | null = null;
  const priorityRef = rule.routing.pagerdutyPriority;
  if (priorityRef !== null) {
    const priorities = await source.priorities();
    const found = priorities === null ? undefined : find(priorities, priorityRef);
    if (priorities === null) problem('routing.pagerdutyPriority', `The connected ${pager.displayName} ${pager.accountNoun} has no priorities.`);
    else if (found === undefined) problem('routing.pagerdutyPriority', `The connected ${pager.displayName} ${pager.accountNoun} has no priority ${described(priorityRef)}.`);
    pagerdutyPriorityId = found?.id ?? null;
  }

  if (problems.length > before || choices === null || service === undefined) return undefined;
  const { acknowledgedState: _a, resolvedState: _r, incidentLinkAs, ...switches } = rule.sync;
  return {
    filters: { teamId: choices.team.id, priorities: rule.filters.priorities, statusTypes: rule.filters.statusTypes, projectIds, labelIds },
    routing: { serviceId: service.id, urgency: rule.routing.urgency, pagerdutyPriorityId },
    sync: {
      ...switches,
      incidentLinkAs: incidentLinkAs ?? 'attachment',
      ...(acknowledgedStateId === undefined ? {} : { acknowledgedStateId }),
      ...(resolvedStateId === undefined ? {} : { resolvedStateId }),
    },
  };
}

