import type { Role, UserView } from '../../api/client.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatDate, roleLabel } from '../../format.js';
import { UserActions, type UserAction } from './UserActions.js';

interface Props {
  users: UserView[];
  currentUserId: string;
  /** Admins get a role select per user; viewers read the role as text. */
  editable: boolean;
  savingId: string | undefined;
  onRoleChange: (user: UserView, role: Role) => void;
  /** The action running, and on whom. */
  busy: { userId: string; action: UserAction } | undefined;
  onAction: (user: UserView, action: UserAction) => Promise<boolean>;
}

export const ROLE_OPTIONS: ReadonlyArray<{ value: Role; label: string }> = [
  { value: 'admin', label: 'Admin' },
  { value: 'viewer', label: 'Viewer' },
];

/**
 * Name, email, role, status and date added; for admins, the actions on every other user (their
 * own account is theirs to change from the user menu). Below 640 px each row becomes a small
 * card (see styles.css).
 */
export function UsersTable({ users, currentUserId, editable, savingId, onRoleChange, busy, onAction }: Props) {
  return (
    <div className="table-wrap">
      <table className="table users-table">
        <caption className="visually-hidden">Users of this organisation</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Added</th>
            {editable && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <th scope="row" data-label="Name">
                {user.name}
                {user.id === currentUserId && <span className="you-badge">You</span>}
              </th>
              <td data-label="Email" className="cell-email">
                {user.email}
              </td>
              <td data-label="Role">
                {editable ? (
                  <select
                    className="select-compact"
                    aria-label={`Role of ${user.name}`}
                    value={user.role}
                    aria-busy={savingId === user.id || undefined}
                    onChange={(event) => onRoleChange(user, event.target.value as Role)}
                  >
                    {ROLE_OPTIONS.map((option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className={`role role-${user.role}`}>{roleLabel(user.role)}</span>
                )}
              </td>
              <td data-label="Status">
                <StatusBadge label={user.status === 'active' ? 'Active' : 'Deactivated'} tone={user.status === 'active' ? 'ok' : 'idle'} />
              </td>
              <td data-label="Added">
                <time dateTime={user.createdAt}>{formatDate(user.createdAt)}</time>
              </td>
              {editable && (
                <td data-label="Actions" className="cell-actions">
                  {user.id !== currentUserId && (
                    <UserActions user={user} busy={busy?.userId === user.id ? busy.action : undefined} onAction={onAction} />
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
