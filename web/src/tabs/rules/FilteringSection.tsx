import type { NamedRef, RulesResponse, TeamCatalog } from '../../api/client.js';
import { SelectField } from '../../components/Field.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import type { CatalogState } from './catalog-state.js';
import { CheckboxGroup } from './form-controls.js';
import type { RuleDraft, RuleField } from './rule-draft.js';
import { PRIORITIES, RESOLVED_TYPES, STATUS_TYPES } from './rule-words.js';

interface Props {
  draft: RuleDraft;
  onChange: (patch: Partial<RuleDraft>) => void;
  errors: Partial<Record<RuleField, string>>;
  teamWebhooks: RulesResponse['checklist']['teamWebhooks'];
  team: CatalogState<TeamCatalog>;
  onRetryTeam: () => void;
  /** Names a saved rule knows for what may be gone upstream (team, projects, labels). */
  saved: { team: NamedRef; projects: NamedRef[]; labels: NamedRef[] } | undefined;
}

/** Options for the chosen ids the catalog lacks: shown, checked, marked as gone. */
function withMissing(options: Array<{ value: string; label: string; note?: string }>, chosen: string[], known: NamedRef[]) {
  const missing = chosen.filter((id) => !options.some((option) => option.value === id));
  return [
    ...options,
    ...missing.map((id) => ({ value: id, label: known.find((item) => item.id === id)?.name ?? id, note: '(no longer in Linear)' })),
  ];
}

/** Filtering criteria: which issues of which team page (SPEC §1.5, in the documented order). */
export function FilteringSection({ draft, onChange, errors, teamWebhooks, team, onRetryTeam, saved }: Props) {
  const teams = teamWebhooks.map((item) => ({ value: item.id, label: item.name }));
  if (saved !== undefined && !teams.some((option) => option.value === saved.team.id)) {
    teams.unshift({ value: saved.team.id, label: `${saved.team.name} (no hub webhook)` });
  }
  const teamOptions = draft.teamId === '' ? [{ value: '', label: 'Choose a team…' }, ...teams] : teams;
  const catalog = team.kind === 'loaded' ? team.value : undefined;
  const resolvedChosen = draft.statusTypes.some((type) => RESOLVED_TYPES.has(type));
  const projects = withMissing(
    (catalog?.projects ?? []).map((project) => ({ value: project.id, label: project.name })),
    catalog === undefined ? [] : draft.projectIds,
    saved?.projects ?? [],
  );
  const labels = withMissing(
    (catalog?.labels ?? []).map((label) => ({ value: label.id, label: label.name, ...(label.scope === 'workspace' ? { note: '(workspace)' } : {}) })),
    catalog === undefined ? [] : draft.labelIds,
    saved?.labels ?? [],
  );

  return (
    <section className="card section rule-form-section" aria-labelledby="filtering-heading">
      <div className="section-head">
        <h2 id="filtering-heading">Filtering criteria</h2>
        <p className="muted">Which issues page: the rule only sees issues of the team whose webhook you choose.</p>
      </div>
      <SelectField
        label="Webhook"
        value={draft.teamId}
        onValueChange={(teamId) => onChange({ teamId })}
        options={teamOptions}
        hint="The Linear team, by its hub webhook."
        error={errors['filters.teamId']}
      />
      <CheckboxGroup
        legend="Priority"
        options={PRIORITIES}
        values={draft.priorities}
        onChange={(priorities) => onChange({ priorities })}
        error={errors['filters.priorities']}
      />
      <CheckboxGroup
        legend="Status types"
        options={STATUS_TYPES}
        values={draft.statusTypes}
        onChange={(statusTypes) => onChange({ statusTypes })}
        error={errors['filters.statusTypes']}
      >
        {resolvedChosen && (
          <p className="notice notice-warning" role="status">
            Completed and Canceled are resolved states: issues there are done, so paging for them is usually a mistake.
          </p>
        )}
      </CheckboxGroup>
      {team.kind === 'loading' && (
        <p className="muted" role="status">
          Loading the team’s projects, labels and states…
        </p>
      )}
      {team.kind === 'failed' && <LoadFailed message={`Could not load the team’s projects, labels and states: ${team.message}`} onRetry={onRetryTeam} />}
      {catalog !== undefined && (
        <>
          <CheckboxGroup
            legend="Projects"
            options={projects}
            values={draft.projectIds}
            onChange={(projectIds) => onChange({ projectIds })}
            hint="Optional. None chosen: issues in any project, or none. Otherwise the issue is in any one of them."
            error={errors['filters.projectIds']}
            long
            empty="This team has no projects."
          />
          <CheckboxGroup
            legend="Labels"
            options={labels}
            values={draft.labelIds}
            onChange={(labelIds) => onChange({ labelIds })}
            hint="Optional. None chosen: any labels. Otherwise the issue carries any one of them (team or workspace labels)."
            error={errors['filters.labelIds']}
            long
            empty="This team and workspace have no labels."
          />
        </>
      )}
    </section>
  );
}
