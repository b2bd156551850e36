import type { NamedRef, TeamCatalog } from '../../api/client.js';
import type { CatalogState } from './catalog-state.js';
import { GroupedSelect, RadioGroup, Switch } from './form-controls.js';
import type { RuleDraft, RuleField } from './rule-draft.js';
import { STATUS_TYPES } from './rule-words.js';

interface Props {
  draft: RuleDraft;
  onChange: (patch: Partial<RuleDraft>) => void;
  errors: Partial<Record<RuleField, string>>;
  team: CatalogState<TeamCatalog>;
  /** The saved rule's states (named even when gone upstream). */
  saved: { acknowledged: NamedRef; resolved: NamedRef } | undefined;
}

/** The team's states grouped by type, in the form's type order, each by position. */
function stateGroups(catalog: TeamCatalog | undefined) {
  if (catalog === undefined) return [];
  return STATUS_TYPES.map((type) => ({
    label: type.label,
    options: catalog.states
      .filter((state) => state.type === type.value)
      .sort((a, b) => a.position - b.position)
      .map((state) => ({ value: state.id, label: state.name })),
  }));
}

/** What the select shows before the groups: a placeholder while loading, or a saved state that is gone. */
function extra(value: string, catalog: TeamCatalog | undefined, saved: NamedRef | undefined, team: CatalogState<TeamCatalog>) {
  if (catalog === undefined) {
    const placeholder = team.kind === 'loading' ? 'Loading states…' : 'Choose a team first';
    return value === '' ? [{ value: '', label: placeholder }] : [{ value, label: saved?.id === value ? saved.name : value }];
  }
  if (value === '' || catalog.states.some((state) => state.id === value)) return [];
  return [{ value, label: `${saved?.id === value ? saved.name : value} (no longer in Linear)` }];
}

/** Bidirectional sync: where the issue moves and what is mirrored each way. */

const LINK_STYLES = [
  { value: 'attachment', label: 'Attachment' },
  { value: 'comment', label: 'Comment' },
] as const;

export function SyncSection({ draft, onChange, errors, team, saved }: Props) {
  const catalog = team.kind === 'loaded' ? team.value : undefined;
  const groups = stateGroups(catalog);
  return (
    <section className="card section rule-form-section" aria-labelledby="sync-heading">
      <div className="section-head">
        <h2 id="sync-heading">Bidirectional sync</h2>
        <p className="muted">What happens to the issue when the incident changes, and to the incident when the issue does.</p>
      </div>
      <div className="form-grid form">
        <GroupedSelect
          label="Acknowledged Status"
          value={draft.acknowledgedStateId}
          onChange={(acknowledgedStateId) => onChange({ acknowledgedStateId })}
          groups={groups}
          extra={extra(draft.acknowledgedStateId, catalog, saved?.acknowledged, team)}
          disabled={catalog === undefined}
          hint="The issue moves here when the incident is acknowledged."
          error={errors['sync.acknowledgedStateId']}
        />
        <GroupedSelect
          label="Resolved Status"
          value={draft.resolvedStateId}
          onChange={(resolvedStateId) => onChange({ resolvedStateId })}
          groups={groups}
          extra={extra(draft.resolvedStateId, catalog, saved?.resolved, team)}
          disabled={catalog === undefined}
          hint="The issue moves here when the incident is resolved."
          error={errors['sync.resolvedStateId']}
        />
      </div>
      <div className="switch-list">
        <Switch label="Comments to notes" checked={draft.commentsToNotes} onChange={(commentsToNotes) => onChange({ commentsToNotes })} />
        <Switch label="Notes to comments" checked={draft.notesToComments} onChange={(notesToComments) => onChange({ notesToComments })} />
        <Switch
          label="Resolve the incident when the issue is completed or canceled"
          checked={draft.resolveOnComplete}
          onChange={(resolveOnComplete) => onChange({ resolveOnComplete })}
        />
        <Switch label="Reopen the incident when the issue reopens" checked={draft.reopenOnReopen} onChange={(reopenOnReopen) => onChange({ reopenOnReopen })} />
        <Switch
          label="Post the incident link on the issue"
          checked={draft.postIncidentLink}
          onChange={(postIncidentLink) => onChange({ postIncidentLink })}
        />
      </div>
      {draft.postIncidentLink && (
        <RadioGroup
          legend="Post the link as"
          options={LINK_STYLES}
          value={draft.incidentLinkAs}
          onChange={(incidentLinkAs) => onChange({ incidentLinkAs })}
          hint="An attachment sits in the issue's links (posted once, whatever happens); a comment shows in the issue's activity."
        />
      )}
    </section>
  );
}
