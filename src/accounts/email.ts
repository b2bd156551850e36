/**
 * E-mail addresses are compared trimmed and lower-cased: "  Ada@Example.COM " is
 * "ada@example.com". Requests arrive normalised by the API contract's emailField
 * (src/api/fields.ts); this is for addresses from elsewhere (the configuration).
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
