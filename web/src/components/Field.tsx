import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { MIN_PASSWORD } from './form-rules.js';

interface FieldFrameProps {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A label, the control, an optional hint and an error linked to the control by aria-describedby. */
export function FieldFrame({ label, hint, error, children }: FieldFrameProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? undefined : hintId, error === undefined ? undefined : errorId]
    .filter((value) => value !== undefined)
    .join(' ');
  return (
    <div className={error === undefined ? 'field' : 'field field-invalid'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy: describedBy === '' ? undefined : describedBy, invalid: error !== undefined })}
      {hint !== undefined && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> & {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  hint?: string | undefined;
  error?: string | undefined;
};

export function TextField({ label, hint, error, value, onValueChange, ...input }: TextFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <input
          {...input}
          id={id}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        />
      )}
    </FieldFrame>
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'onChange' | 'value'> & {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  options: ReadonlyArray<{ value: string; label: string }>;
  hint?: string | undefined;
  error?: string | undefined;
};

export function SelectField({ label, hint, error, value, onValueChange, options, ...select }: SelectFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <select
          {...select}
          id={id}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

/** A password the user sets (setup, new user): the minimum length shown as a hint. */
export function NewPasswordField(props: Omit<TextFieldProps, 'type' | 'autoComplete' | 'minLength' | 'hint'>) {
  return (
    <TextField
      {...props}
      type="password"
      autoComplete="new-password"
      minLength={MIN_PASSWORD}
      hint={`At least ${MIN_PASSWORD} characters.`}
    />
  );
}

/** The "type it again" field beside a NewPasswordField; the form compares the two. */
export function ConfirmPasswordField(props: Omit<TextFieldProps, 'type' | 'autoComplete' | 'name' | 'required'>) {
  return <TextField {...props} type="password" name="confirmation" autoComplete="new-password" required />;
}
