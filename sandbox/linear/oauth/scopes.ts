/**
 * Linear's OAuth scopes (API-NOTES §1.3) with the words the consent page shows. Requested as
 * a comma-separated list; `read` is always granted; unknown scopes are rejected (§5.1).
 */
export const SCOPE_WORDS: Record<string, string> = {
  read: 'Read your workspace: issues, teams, projects, labels, comments and users',
  write: 'Write to your workspace: create and update issues, post comments',
  'issues:create': 'Create issues and their attachments',
  'comments:create': 'Post comments on issues',
  'timeSchedule:write': 'Create and change time schedules',
  admin: 'Administer the workspace: create and manage webhooks',
  'app:assignable': 'Be delegated issues',
  'app:mentionable': 'Be @mentioned',
  'customer:read': 'Read customers',
  'customer:write': 'Create and change customers',
  'initiative:read': 'Read initiatives',
  'initiative:write': 'Create and change initiatives',
};

export type ScopeParse = { ok: true; scopes: string[] } | { ok: false; unknown: string[] };

export function parseScopes(scope: string | undefined): ScopeParse {
  const requested = (scope ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = requested.filter((s) => !(s in SCOPE_WORDS));
  if (unknown.length > 0) return { ok: false, unknown };
  return { ok: true, scopes: [...new Set(['read', ...requested])] };
}
