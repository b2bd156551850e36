import { useEffect, useState, type SubmitEvent } from 'react';
import { ApiRequestError, api, type RulesResponse, type RuleView } from '../../api/client.js';
import { TextField } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import { useFocusFirstInvalid } from '../../components/useFocusFirstInvalid.js';
import { DryRunResults } from './DryRunResults.js';
import { FilteringSection } from './FilteringSection.js';
import { Switch } from './form-controls.js';
import { RoutingSection } from './RoutingSection.js';
import { draftProblems, draftToInput, explainRuleError, fitToTeam, type RuleDraft, type RuleField } from './rule-draft.js';
import { SyncSection } from './SyncSection.js';
import { usePagerDutyCatalog, useTeamCatalog } from './useCatalogs.js';
import { useDryRun } from './useDryRun.js';

interface Props {
  initial: RuleDraft;
  /** The rule being edited (its version is sent back; its names cover what is gone upstream). */
  rule: RuleView | undefined;
  teamWebhooks: RulesResponse['checklist']['teamWebhooks'];
  /** False for viewers and while rules are blocked: every control is disabled, Save is absent. */
  editable: boolean;
  onSaved: (rule: RuleView) => void;
  /** Someone saved the rule meanwhile (409 rule_changed): load it again. */
  onReload: () => void;
}

/**
 * The rule form in the documented order (SPEC §1.5): Name; Filtering criteria; PagerDuty
 * routing; Bidirectional sync; then Incidents per hour, Enabled, Save — and Test rule, which
 * dry-runs the unsaved values.
 */
export function RuleForm({ initial, rule, teamWebhooks, editable, onSaved, onReload }: Props) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<RuleField, string>>>({});
  const [summary, setSummary] = useState<{ message: string; other: string[]; changed: boolean }>();
  const [saving, setSaving] = useState(false);
  const [formRef, focusFirstInvalid] = useFocusFirstInvalid<HTMLFormElement>();
  const team = useTeamCatalog(draft.teamId);
  const pagerduty = usePagerDutyCatalog();
  const dryRun = useDryRun();
  const savedTeam = rule?.filters.team.id === draft.teamId;

  // A newly loaded team: default the states, drop what the team does not have (a saved rule's
  // references stay, so Needs attention shows what is gone until the person changes it).
  const loadedTeam = team.state.kind === 'loaded' ? team.state.value : undefined;
  useEffect(() => {
    if (loadedTeam !== undefined) setDraft((previous) => fitToTeam(previous, loadedTeam, savedTeam));
    // Once per loaded catalog (not on every draft change).
  }, [loadedTeam]);

  function change(patch: Partial<RuleDraft>): void {
    setDraft((previous) => {
      const next = { ...previous, ...patch };
      // Another team: its own states (defaults come with its catalog).
      if (patch.teamId !== undefined && patch.teamId !== previous.teamId) {
        const back = rule?.filters.team.id === patch.teamId ? rule : undefined;
        next.acknowledgedStateId = back?.sync.acknowledgedState.id ?? '';
        next.resolvedStateId = back?.sync.resolvedState.id ?? '';
      }
      return next;
    });
  }

  /** Client checks first; false (and the fields marked) when something is missing. */
  function checked(): boolean {
    const problems = draftProblems(draft);
    setErrors(problems);
    if (Object.keys(problems).length === 0) return true;
    setSummary({ message: 'Check the highlighted fields.', other: [], changed: false });
    focusFirstInvalid();
    return false;
  }

  function refused(caught: ApiRequestError): void {
    const { fields, other } = explainRuleError(caught);
    setErrors(fields);
    const named = Object.keys(fields).length > 0;
    setSummary({ message: named ? 'Check the highlighted fields.' : caught.message, other, changed: caught.code === 'rule_changed' });
    if (named) focusFirstInvalid();
  }

  async function save(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSummary(undefined);
    if (!editable || saving || !checked()) return;
    setSaving(true);
    try {
      const input = draftToInput(draft);
      const saved = rule === undefined ? await api.createRule(input) : await api.updateRule(rule.id, { ...input, version: rule.version });
      onSaved(saved.rule);
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      refused(caught);
    } finally {
      setSaving(false);
    }
  }

  async function test(): Promise<void> {
    setSummary(undefined);
    if (!checked()) return;
    const body = { ...draftToInput(draft), ...(rule === undefined ? {} : { ruleId: rule.id }) };
    await dryRun.run(() => (editable ? api.testRuleDraft(body) : api.testRule(rule?.id ?? '')));
  }

  useEffect(() => {
    if (dryRun.state.kind === 'failed') refused(dryRun.state.error);
    // Once per failed run.
  }, [dryRun.state]);

  return (
    <form ref={formRef} className="rule-form" onSubmit={(event) => void save(event)} noValidate aria-label="Rule">
      {summary !== undefined && (
        <Notice kind="error">
          <p>{summary.message}</p>
          {summary.other.length > 0 && (
            <ul className="notice-list">
              {summary.other.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          {summary.changed && (
            <p>
              <button type="button" className="button-link" onClick={onReload}>
                Reload the rule
              </button>{' '}
              (your changes here are lost; make them again).
            </p>
          )}
        </Notice>
      )}
      <fieldset className="rule-form-body" disabled={!editable}>
        <legend className="visually-hidden">Rule settings</legend>
        {/* No aria-label here: a region named "Name" would share the Name field's name. */}
        <section className="card section rule-form-section">
          <TextField label="Name" name="name" autoComplete="off" required value={draft.name} onValueChange={(name) => change({ name })} error={errors.name} hint="Unique in your organisation, e.g. “Urgent backend bugs → Checkout on-call”." />
        </section>
        <FilteringSection
          draft={draft}
          onChange={change}
          errors={errors}
          teamWebhooks={teamWebhooks}
          team={team.state}
          onRetryTeam={team.retry}
          saved={rule === undefined ? undefined : { team: rule.filters.team, projects: rule.filters.projects, labels: rule.filters.labels }}
        />
        <RoutingSection draft={draft} onChange={change} errors={errors} pagerduty={pagerduty.state} onRetry={pagerduty.retry} savedService={rule?.routing.service} />
        <SyncSection
          draft={draft}
          onChange={change}
          errors={errors}
          team={team.state}
          saved={rule !== undefined && savedTeam ? { acknowledged: rule.sync.acknowledgedState, resolved: rule.sync.resolvedState } : undefined}
        />
        <section className="card section rule-form-section" aria-labelledby="valve-heading">
          <h2 id="valve-heading">Safety valve</h2>
          <TextField
            label="Incidents per hour"
            type="number"
            inputMode="numeric"
            min={1}
            max={1000}
            step={1}
            value={draft.incidentsPerHour}
            onValueChange={(incidentsPerHour) => change({ incidentsPerHour })}
            hint="After this many incidents in an hour the rule pauses and says why, instead of paging a storm (1–1000)."
            error={errors.incidentsPerHour}
          />
          <Switch label="Enabled" checked={draft.enabled} onChange={(enabled) => change({ enabled })} hint="A disabled rule pages nothing; it keeps its place in the order." />
        </section>
      </fieldset>
      <div className="form-actions card-actions">
        {editable && (
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        )}
        <button type="button" className="button button-secondary" disabled={dryRun.state.kind === 'running'} onClick={() => void test()}>
          {dryRun.state.kind === 'running' ? 'Testing…' : 'Test rule'}
        </button>
      </div>
      {dryRun.state.kind === 'done' && <DryRunResults result={dryRun.state.result} heading="Test rule results" />}
    </form>
  );
}
