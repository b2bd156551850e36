import { useState, type SubmitEvent } from 'react';
import { ApiRequestError, api, type Role } from '../../api/client.js';
import { NewPasswordField, SelectField, TextField } from '../../components/Field.js';
import { emailProblem, explainApiError, nameProblem, passwordProblem, problems as collect } from '../../components/form-rules.js';
import { Notice } from '../../components/Notice.js';
import { useFocusFirstInvalid } from '../../components/useFocusFirstInvalid.js';
import { ROLE_OPTIONS } from './UsersTable.js';

const EMPTY = { name: '', email: '', password: '', role: 'viewer' as Role };

/** Admins add a user with a password they pass on themselves (the user can change it from their menu). */
export function AddUserForm({ onAdded }: { onAdded: (user: { name: string }) => Promise<void> }) {
  const [form, setForm] = useState(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [formRef, focusFirstInvalid] = useFocusFirstInvalid<HTMLFormElement>();
  const set = (key: keyof typeof EMPTY) => (value: string) => setForm((previous) => ({ ...previous, [key]: value }));

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(undefined);
    const problems = collect({
      name: nameProblem(form.name, 'Enter their name.'),
      email: emailProblem(form.email),
      password: passwordProblem(form.password),
    });
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) {
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    try {
      const user = { name: form.name.trim(), email: form.email.trim(), password: form.password, role: form.role };
      await api.createUser(user);
      setForm(EMPTY);
      await onAdded(user);
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      const { fields, summary } = explainApiError(caught, caught.code === 'email_taken' ? { email: caught.message } : {});
      setFieldErrors(fields);
      setError(summary);
      focusFirstInvalid();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card section" aria-labelledby="add-user-heading">
      <div className="section-head">
        <h2 id="add-user-heading">Add user</h2>
        <p className="muted">They log in with this email and the password you set here. Share it with them securely.</p>
      </div>
      {error !== undefined && <Notice kind="error">{error}</Notice>}
      <form ref={formRef} className="form form-grid" onSubmit={(event) => void submit(event)} noValidate>
        <TextField label="Name" name="name" autoComplete="off" required value={form.name} onValueChange={set('name')} error={fieldErrors.name} />
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="off"
          required
          value={form.email}
          onValueChange={set('email')}
          error={fieldErrors.email}
        />
        <NewPasswordField
          label="Password"
          name="password"
          required
          value={form.password}
          onValueChange={set('password')}
          error={fieldErrors.password}
        />
        <SelectField label="Role" name="role" value={form.role} onValueChange={set('role')} options={ROLE_OPTIONS} error={fieldErrors.role} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add user'}
          </button>
        </div>
      </form>
    </section>
  );
}
