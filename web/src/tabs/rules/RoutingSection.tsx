import { useEffect, useId } from 'react';
import type { PagerDutyCatalog } from '../../api/client.js';
import { SelectField } from '../../components/Field.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import type { CatalogState } from './catalog-state.js';
import { RadioGroup } from './form-controls.js';
import { serviceNamed, type RuleDraft, type RuleField } from './rule-draft.js';
import { URGENCIES } from './rule-words.js';

interface Props {
  draft: RuleDraft;
  onChange: (patch: Partial<RuleDraft>) => void;
  errors: Partial<Record<RuleField, string>>;
  pagerduty: CatalogState<PagerDutyCatalog>;
  onRetry: () => void;
  /** The saved rule's service (kept while the catalog cannot say, or when it is gone upstream). */
  savedService: { id: string; name: string } | undefined;
}

/**
 * PagerDuty routing: the service (typed to filter: accounts have hundreds), the urgency, and
 * the PagerDuty priority when the account has priorities.
 */
export function RoutingSection({ draft, onChange, errors, pagerduty, onRetry, savedService }: Props) {
  const id = useId();
  const catalog = pagerduty.kind === 'loaded' ? pagerduty.value : undefined;
  const error = errors['routing.serviceId'];
  const describedBy = [`${id}-hint`, error === undefined ? undefined : `${id}-error`].filter(Boolean).join(' ');

  function typed(text: string): void {
    const saved = savedService?.name.toLowerCase() === text.trim().toLowerCase() ? savedService.id : undefined;
    onChange({ serviceText: text, serviceId: serviceNamed(catalog, text) ?? saved ?? '' });
  }

  // Text typed before the services arrived names no service yet: match it once they are known.
  useEffect(() => {
    if (catalog === undefined || draft.serviceId !== '' || draft.serviceText.trim() === '') return;
    const found = serviceNamed(catalog, draft.serviceText);
    if (found !== undefined) onChange({ serviceId: found });
    // Once per loaded catalog (typing matches by itself afterwards).
  }, [catalog]);

  const priorities = catalog?.priorities ?? null;
  return (
    <section className="card section rule-form-section" aria-labelledby="routing-heading">
      <div className="section-head">
        <h2 id="routing-heading">PagerDuty routing</h2>
        <p className="muted">The service that receives the incident, and how urgent it is.</p>
      </div>
      <div className={error === undefined ? 'field' : 'field field-invalid'}>
        <label htmlFor={id}>Service</label>
        <input
          id={id}
          type="text"
          list={`${id}-services`}
          autoComplete="off"
          value={draft.serviceText}
          aria-describedby={describedBy}
          aria-invalid={error === undefined ? undefined : true}
          onChange={(event) => typed(event.target.value)}
        />
        <datalist id={`${id}-services`}>
          {(catalog?.services ?? []).map((service) => (
            <option key={service.id} value={service.name} />
          ))}
        </datalist>
        <p className="field-hint" id={`${id}-hint`}>
          {catalog === undefined
            ? 'Type the service’s name.'
            : catalog.services.length === 0
              ? 'This PagerDuty account has no services yet: create one in PagerDuty, then reload this page.'
              : `Type to filter the account’s ${catalog.services.length} services.`}
        </p>
        {error !== undefined && (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
      {pagerduty.kind === 'loading' && (
        <p className="muted" role="status">
          Loading PagerDuty services…
        </p>
      )}
      {pagerduty.kind === 'failed' && <LoadFailed message={`Could not load the PagerDuty services: ${pagerduty.message}`} onRetry={onRetry} />}
      <RadioGroup
        legend="Urgency"
        options={URGENCIES}
        value={draft.urgency}
        onChange={(urgency) => onChange({ urgency })}
        hint="From priority: Urgent and High issues page at high urgency, the rest at low."
      />
      {priorities !== null && (
        <SelectField
          label="PagerDuty priority"
          value={draft.pagerdutyPriorityId}
          onValueChange={(pagerdutyPriorityId) => onChange({ pagerdutyPriorityId })}
          options={[{ value: '', label: 'None' }, ...priorities.map((priority) => ({ value: priority.id, label: priority.name }))]}
          hint="Optional: the priority the incident gets in PagerDuty."
          error={errors['routing.pagerdutyPriorityId']}
        />
      )}
    </section>
  );
}
