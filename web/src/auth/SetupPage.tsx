import { useState, type SubmitEvent } from 'react';
import { ApiRequestError, api, type MetaResponse, type SessionResponse } from '../api/client.js';
import { ConfirmPasswordField, NewPasswordField, TextField } from '../components/Field.js';
import { emailProblem, explainApiError, nameProblem, passwordProblem, problems } from '../components/form-rules.js';
import { Notice } from '../components/Notice.js';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid.js';
import { AuthFrame } from './AuthFrame.js';

interface Form {
  organisationName: string;
  name: string;
  email: string;
  password: string;
  confirmation: string;
}

/** Checks the browser can make before asking the hub (which checks again). */
function check(form: Form): Record<string, string> {
  return problems({
    organisationName: nameProblem(form.organisationName, 'Enter the name of your organisation.'),
    name: nameProblem(form.name, 'Enter your name.'),
    email: emailProblem(form.email),
    password: passwordProblem(form.password),
    confirmation: form.confirmation !== form.password ? 'The two passwords are not the same.' : undefined,
  });
}

interface Props {
  meta: MetaResponse;
  onCreated: (session: SessionResponse) => void;
  /** Someone else finished setup meanwhile (409 already_set_up): start again at Log in. */
  onAlreadySetUp: () => void;
}

export function SetupPage({ meta, onCreated, onAlreadySetUp }: Props) {
  const [form, setForm] = useState<Form>({ organisationName: '', name: '', email: '', password: '', confirmation: '' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [alreadySetUp, setAlreadySetUp] = useState(false);
  const [formRef, focusFirstInvalid] = useFocusFirstInvalid<HTMLFormElement>();
  const set = (key: keyof Form) => (value: string) => setForm((previous) => ({ ...previous, [key]: value }));

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(undefined);
    const problems = check(form);
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) {
      setError('Check the highlighted fields.');
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    try {
      const { organisationName, name, email, password } = form;
      onCreated(await api.setup({ organisationName: organisationName.trim(), name: name.trim(), email: email.trim(), password }));
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setAlreadySetUp(caught.code === 'already_set_up');
      const { fields, summary } = explainApiError(caught);
      setFieldErrors(fields);
      setError(summary);
      focusFirstInvalid();
      setBusy(false);
    }
  }

  return (
    <AuthFrame
      meta={meta}
      title="Create the first admin"
      lead="This hub has no users yet. Name your organisation and create the admin account that manages its connections, rules and users."
    >
      {error !== undefined && (
        <Notice kind="error">
          {error}
          {alreadySetUp && (
            <>
              {' '}
              <button type="button" className="button-link" onClick={onAlreadySetUp}>
                Go to Log in
              </button>
            </>
          )}
        </Notice>
      )}
      <form ref={formRef} className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label="Organisation name"
          name="organisationName"
          autoComplete="organization"
          required
          value={form.organisationName}
          onValueChange={set('organisationName')}
          error={fieldErrors.organisationName}
        />
        <TextField label="Your name" name="name" autoComplete="name" required value={form.name} onValueChange={set('name')} error={fieldErrors.name} />
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
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
        <ConfirmPasswordField
          label="Confirm password"
          value={form.confirmation}
          onValueChange={set('confirmation')}
          error={fieldErrors.confirmation}
        />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Creating…' : 'Create admin and continue'}
        </button>
      </form>
    </AuthFrame>
  );
}
