import { useState, type SubmitEvent, type ReactNode } from 'react';
import { ApiRequestError, api, type SessionResponse } from '../api/client.js';
import { ConfirmPasswordField, NewPasswordField, TextField } from '../components/Field.js';
import { explainApiError, passwordProblem, problems } from '../components/form-rules.js';
import { Notice } from '../components/Notice.js';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid.js';

const EMPTY = { currentPassword: '', newPassword: '', confirmation: '' };
type Form = typeof EMPTY;

function check(form: Form): Record<string, string> {
  return problems({
    currentPassword: form.currentPassword === '' ? 'Enter your current password.' : undefined,
    newPassword:
      passwordProblem(form.newPassword) ??
      (form.newPassword === form.currentPassword ? 'Choose a password other than the current one.' : undefined),
    confirmation: form.confirmation !== form.newPassword ? 'The two new passwords are not the same.' : undefined,
  });
}

interface Props {
  /** The hub answered the updated session: the password is changed and every other session has ended. */
  onChanged: (session: SessionResponse) => void;
  submitLabel: string;
  /** Extra buttons beside Submit (Cancel in the user menu). */
  children?: ReactNode;
}

/**
 * Current password, new password, and the new one again (POST /api/session/password). The hub
 * checks the current one and the new one's strength; its answers land under their fields.
 */
export function ChangePasswordForm({ onChanged, submitLabel, children }: Props) {
  const [form, setForm] = useState(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [formRef, focusFirstInvalid] = useFocusFirstInvalid<HTMLFormElement>();
  const set = (key: keyof Form) => (value: string) => setForm((previous) => ({ ...previous, [key]: value }));

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(undefined);
    const found = check(form);
    setFieldErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    try {
      const session = await api.changePassword({ currentPassword: form.currentPassword, newPassword: form.newPassword });
      setForm(EMPTY);
      setBusy(false);
      onChanged(session);
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      const { fields, summary } = explainApiError(caught);
      setFieldErrors(fields);
      setError(summary);
      setBusy(false);
      focusFirstInvalid();
    }
  }

  return (
    <form ref={formRef} className="form" onSubmit={(event) => void submit(event)} noValidate aria-label="Change password">
      {error !== undefined && <Notice kind="error">{error}</Notice>}
      <TextField
        label="Current password"
        type="password"
        name="currentPassword"
        autoComplete="current-password"
        required
        value={form.currentPassword}
        onValueChange={set('currentPassword')}
        error={fieldErrors.currentPassword}
      />
      <NewPasswordField
        label="New password"
        name="newPassword"
        required
        value={form.newPassword}
        onValueChange={set('newPassword')}
        error={fieldErrors.newPassword}
      />
      <ConfirmPasswordField
        label="Confirm new password"
        value={form.confirmation}
        onValueChange={set('confirmation')}
        error={fieldErrors.confirmation}
      />
      <div className="card-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {children}
      </div>
    </form>
  );
}
