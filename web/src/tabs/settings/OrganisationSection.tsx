import { useEffect, useState, type SubmitEvent } from 'react';
import { ApiRequestError, api, type SessionResponse } from '../../api/client.js';
import { TextField } from '../../components/Field.js';
import { nameProblem } from '../../components/form-rules.js';
import { Notice } from '../../components/Notice.js';
import { formatDate } from '../../format.js';

interface Props {
  session: SessionResponse;
  onRenamed: () => Promise<void>;
}

/** The organisation's name: a form for admins, plain text for viewers. */
export function OrganisationSection({ session, onRenamed }: Props) {
  const { organisation, user } = session;
  const isAdmin = user.role === 'admin';
  const [name, setName] = useState(organisation.name);
  const [error, setError] = useState<{ message: string; field?: string | undefined }>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => setName(organisation.name), [organisation.name]);

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSaved(false);
    setError(undefined);
    const problem = nameProblem(name, 'Enter a name for the organisation.');
    if (problem !== undefined) {
      setError({ message: problem, field: problem });
      return;
    }
    setBusy(true);
    try {
      await api.updateOrganisation({ name: name.trim() });
      await onRenamed();
      setSaved(true);
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setError({ message: caught.message, field: caught.fieldErrors().name });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card section" aria-labelledby="organisation-heading">
      <div className="section-head">
        <h2 id="organisation-heading">Organisation</h2>
        <p className="muted">Created {formatDate(organisation.createdAt)}</p>
      </div>
      {isAdmin ? (
        <form className="inline-form" onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            label="Organisation name"
            name="organisationName"
            autoComplete="organization"
            required
            value={name}
            onValueChange={(value) => {
              setName(value);
              setSaved(false);
            }}
            error={error?.field}
          />
          <button type="submit" className="button button-secondary" disabled={busy}>
            {busy ? 'Saving…' : 'Rename'}
          </button>
        </form>
      ) : (
        <p className="readonly-value">
          <span className="readonly-label">Organisation name</span> {organisation.name}
        </p>
      )}
      {error !== undefined && error.field === undefined && <Notice kind="error">{error.message}</Notice>}
      {saved && <Notice kind="success">Organisation renamed.</Notice>}
    </section>
  );
}
