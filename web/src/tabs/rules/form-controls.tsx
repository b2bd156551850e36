import { useId, useState, type ReactNode } from 'react';
import { FieldFrame } from '../../components/Field.js';

interface GroupProps<T extends string | number> {
  legend: string;
  options: ReadonlyArray<{ value: T; label: string; note?: string | undefined }>;
  values: readonly T[];
  onChange: (values: T[]) => void;
  hint?: ReactNode;
  error?: string | undefined;
  /** Shown under the group (e.g. the resolved-states warning). */
  children?: ReactNode;
  /** Many choices: a scrolling list with a filter box. */
  long?: boolean;
  empty?: string;
}

/** A fieldset of checkboxes named by its legend; the error is linked to the group and marks its boxes invalid. */
export function CheckboxGroup<T extends string | number>({ legend, options, values, onChange, hint, error, children, long = false, empty }: GroupProps<T>) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const describedBy = [hint === undefined ? undefined : `${id}-hint`, error === undefined ? undefined : `${id}-error`].filter(Boolean).join(' ');
  const wanted = filter.trim().toLowerCase();
  const shown = wanted === '' ? options : options.filter((option) => values.includes(option.value) || option.label.toLowerCase().includes(wanted));
  const toggle = (value: T, on: boolean) => onChange(on ? [...values, value] : values.filter((item) => item !== value));
  return (
    <fieldset className={error === undefined ? 'choice-group' : 'choice-group field-invalid'} aria-describedby={describedBy === '' ? undefined : describedBy}>
      <legend>{legend}</legend>
      {hint !== undefined && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {long && options.length > 10 && (
        <div className="field">
          <label htmlFor={`${id}-filter`}>Filter {legend.toLowerCase()}</label>
          <input id={`${id}-filter`} type="search" className="input-compact" value={filter} onChange={(event) => setFilter(event.target.value)} />
        </div>
      )}
      {options.length === 0 && empty !== undefined && <p className="muted">{empty}</p>}
      <div className={long ? 'choice-list choice-list-long' : 'choice-list'}>
        {shown.map((option) => (
          <label key={option.value} className="choice">
            <input
              type="checkbox"
              checked={values.includes(option.value)}
              aria-invalid={error === undefined ? undefined : true}
              onChange={(event) => toggle(option.value, event.target.checked)}
            />
            {option.label}
            {option.note !== undefined && <span className="muted"> {option.note}</span>}
          </label>
        ))}
      </div>
      {error !== undefined && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {children}
    </fieldset>
  );
}

/** A fieldset of radio buttons named by its legend. */
export function RadioGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  hint,
}: {
  legend: string;
  options: ReadonlyArray<{ value: T; label: string }>;
  value: T;
  onChange: (value: T) => void;
  hint?: string;
}) {
  const id = useId();
  return (
    <fieldset className="choice-group" aria-describedby={hint === undefined ? undefined : `${id}-hint`}>
      <legend>{legend}</legend>
      <div className="choice-list">
        {options.map((option) => (
          <label key={option.value} className="choice">
            <input type="radio" name={id} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
            {option.label}
          </label>
        ))}
      </div>
      {hint !== undefined && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </fieldset>
  );
}

/** An on/off setting: a checkbox with role="switch", named by its label. */
export function Switch({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (on: boolean) => void; hint?: string }) {
  const id = useId();
  return (
    <div className="switch-field">
      <label className="toggle" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={checked}
          aria-describedby={hint === undefined ? undefined : `${id}-hint`}
          onChange={(event) => onChange(event.target.checked)}
        />
        {label}
      </label>
      {hint !== undefined && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

interface GroupedSelectProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  groups: ReadonlyArray<{ label: string; options: ReadonlyArray<{ value: string; label: string }> }>;
  /** Options before the groups (a placeholder, a value no longer upstream). */
  extra?: ReadonlyArray<{ value: string; label: string }>;
  hint?: string | undefined;
  error?: string | undefined;
  disabled?: boolean;
}

/** A labelled select whose options are grouped (<optgroup>), e.g. workflow states by type. */
export function GroupedSelect({ label, value, onChange, groups, extra = [], hint, error, disabled = false }: GroupedSelectProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          value={value}
          disabled={disabled}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(event) => onChange(event.target.value)}
        >
          {extra.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
          {groups
            .filter((group) => group.options.length > 0)
            .map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </optgroup>
            ))}
        </select>
      )}
    </FieldFrame>
  );
}
