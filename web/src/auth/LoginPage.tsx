import { useState, type SubmitEvent } from 'react';
import { ApiRequestError, api, type MetaResponse, type SessionResponse } from '../api/client.js';
import { TextField } from '../components/Field.js';
import { explainApiError } from '../components/form-rules.js';
import { Notice } from '../components/Notice.js';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid.js';
import { AuthFrame } from './AuthFrame.js';

interface Props {
  meta: MetaResponse;
  /** Why the user is here again, e.g. after logging out. */
  notice?: string | undefined;
  onLoggedIn: (session: SessionResponse) => void;
}

export function LoginPage({ meta, notice, onLoggedIn }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [formRef, focusFirstInvalid] = useFocusFirstInvalid<HTMLFormElement>();

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      onLoggedIn(await api.logIn({ email: email.trim(), password }));
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      const { fields, summary } = explainApiError(caught);
      setFieldErrors(fields);
      setError(summary);
      focusFirstInvalid();
      setBusy(false);
    }
  }

  return (
    <AuthFrame meta={meta} title="Log in to Integration Hub">
      {notice !== undefined && error === undefined && <Notice kind="info">{notice}</Notice>}
      {error !== undefined && <Notice kind="error">{error}</Notice>}
      <form ref={formRef} className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onValueChange={setEmail}
          error={fieldErrors.email}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onValueChange={setPassword}
          error={fieldErrors.password}
        />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </AuthFrame>
  );
}
