import { useCallback, useEffect, useState } from 'react';
import { ApiRequestError, api, type Role, type SessionResponse, type UserView } from '../../api/client.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { Notice } from '../../components/Notice.js';
import { roleLabel } from '../../format.js';
import { AddUserForm } from './AddUserForm.js';
import { TemporaryPassword } from './TemporaryPassword.js';
import type { UserAction } from './UserActions.js';
import { UsersTable } from './UsersTable.js';

interface Props {
  session: SessionResponse;
  onSessionChanged: () => Promise<void>;
}

type Load = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; users: UserView[] };

/** What each action did, in words. */
const DONE: Record<UserAction, (name: string) => string> = {
  deactivate: (name) => `${name} is deactivated: their sessions have ended and they cannot log in.`,
  reactivate: (name) => `${name} can log in again.`,
  reset: (name) => `The password of ${name} was reset and their sessions have ended.`,
  endSessions: (name) => `Every session of ${name} has ended.`,
  remove: (name) => `${name} was removed.`,
};

/** The organisation's users; admins add users, change roles, and deactivate, reset or remove others. */
export function UsersSection({ session, onSessionChanged }: Props) {
  const isAdmin = session.user.role === 'admin';
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; message: string }>();
  const [savingId, setSavingId] = useState<string>();
  const [busy, setBusy] = useState<{ userId: string; action: UserAction }>();
  const [revealed, setRevealed] = useState<{ name: string; password: string }>();

  const reload = useCallback(async (): Promise<void> => {
    try {
      const { users } = await api.users();
      setLoad({ kind: 'loaded', users });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setLoad({ kind: 'failed', message: caught.message });
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function changeRole(user: UserView, role: Role): Promise<void> {
    // One change at a time; the selects stay enabled so focus never drops out of the table.
    if (savingId !== undefined) return;
    setSavingId(user.id);
    setStatus(undefined);
    try {
      await api.updateUser(user.id, { role });
      await reload();
      setStatus({ kind: 'success', message: `${user.name} is now ${role === 'admin' ? 'an' : 'a'} ${roleLabel(role).toLowerCase()}.` });
      if (user.id === session.user.id) await onSessionChanged();
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setStatus({ kind: 'error', message: caught.message });
    } finally {
      setSavingId(undefined);
    }
  }

  async function act(user: UserView, action: UserAction): Promise<boolean> {
    if (busy !== undefined) return false;
    setBusy({ userId: user.id, action });
    setStatus(undefined);
    setRevealed(undefined);
    try {
      if (action === 'deactivate') await api.deactivateUser(user.id);
      else if (action === 'reactivate') await api.reactivateUser(user.id);
      else if (action === 'endSessions') await api.endUserSessions(user.id);
      else if (action === 'remove') await api.removeUser(user.id);
      else setRevealed({ name: user.name, password: (await api.resetUserPassword(user.id)).temporaryPassword });
      setStatus({ kind: 'success', message: DONE[action](user.name) });
      await reload();
      return true;
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setStatus({ kind: 'error', message: caught.message });
      // last_admin, or someone else changed or removed the user meanwhile: the list is out of date.
      if (caught.status === 409 || caught.status === 404) await reload();
      return false;
    } finally {
      setBusy(undefined);
    }
  }

  async function added(user: { name: string }): Promise<void> {
    await reload();
    setStatus({ kind: 'success', message: `${user.name} was added. Share the password with them securely.` });
  }

  return (
    <>
      <section className="card section" aria-labelledby="users-heading">
        <div className="section-head">
          <h2 id="users-heading">Users</h2>
          <p className="muted">
            Admins manage connections, rules and users. Viewers see everything but change nothing.
          </p>
        </div>
        {!isAdmin && <p className="readonly-note">Only admins can change users.</p>}
        {status !== undefined && <Notice kind={status.kind}>{status.message}</Notice>}
        {revealed !== undefined && <TemporaryPassword {...revealed} onDone={() => setRevealed(undefined)} />}
        {load.kind === 'loading' && <p className="muted" role="status">Loading users…</p>}
        {load.kind === 'failed' && <LoadFailed message={load.message} onRetry={() => void reload()} />}
        {load.kind === 'loaded' && (
          <UsersTable
            users={load.users}
            currentUserId={session.user.id}
            editable={isAdmin}
            savingId={savingId}
            onRoleChange={(user, role) => void changeRole(user, role)}
            busy={busy}
            onAction={act}
          />
        )}
      </section>
      {isAdmin && <AddUserForm onAdded={added} />}
    </>
  );
}
