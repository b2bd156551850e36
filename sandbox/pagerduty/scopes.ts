/**
 * Scoped tokens need the scope of the table in §1.8; Classic `write` covers everything and
 * `read` covers every `*.read` (§1.1); API keys (scopes null) are unrestricted.
 */
export function hasScope(scopes: string[] | null, needed: string): boolean {
  if (scopes === null) return true;
  return scopes.includes(needed) || scopes.includes('write') || (needed.endsWith('.read') && scopes.includes('read'));
}
