import type { Role, UserView } from '../../api/client.js';
import { formatDate, roleLabel } from '../../format.js';

interface Props {
  users: UserView[];
  currentUserId: string;
  /** Admins get a role select per user; viewers read the role as text. */
  editable: boolean;
  savingId: string | undefined;
  onRoleChange: (user: UserView, role: Role) => void;
}

export const ROLE_OPTIONS: ReadonlyArray<{ value: Role; label: string }> = [
  { value: 'admin', label: 'Admin' },
  { value: 'viewer', label: 'Viewer' },
];

/** Name, email, role and date added. Below 640 px each row becomes a small card (see styles.css). */
export function UsersTable({ users, currentUserId, editable, savingId, onRoleChange }: Props) {
  return (
    <div className="table-wrap">
      <table className="table users-table">
        <caption className="visually-hidden">Users of this organisation</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Added</th>
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
              <td data-label="Added">
                <time dateTime={user.createdAt}>{formatDate(user.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
