/**
 * Which characters a name (a person's, an organisation's) may hold. Names are shown in the
 * web app, in lists and in logs, so they may not carry characters that are invisible or that
 * change how the text around them is displayed:
 *
 * - control characters (Unicode Cc: C0, DEL, C1 — so no line break or tab inside a name);
 * - format characters (Cf): bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
 *   U+2066–U+2069), zero-width space U+200B, word joiner U+2060, U+FEFF, soft hyphen, tags, …
 *   — except ZERO WIDTH NON-JOINER U+200C and ZERO WIDTH JOINER U+200D, which Persian and
 *   Indic scripts need to spell words and emoji need to combine;
 * - line and paragraph separators (U+2028, U+2029) and lone surrogates (not Unicode text).
 *
 * Pure and dependency-free: the configuration, the API contract's field schemas
 * (src/api/fields.ts) and — through the contract (src/api/field-rules.ts) — the web app's forms
 * all use it.
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}/u;

export const FORBIDDEN_NAME_CHARACTER_MESSAGE =
  'must not contain control or invisible formatting characters (line breaks, tabs, zero-width spaces, bidirectional overrides)';

/** The first character `name` may not contain, written "U+202E"; undefined when there is none. */
export function forbiddenNameCharacter(name: string): string | undefined {
  const found = FORBIDDEN.exec(name)?.[0];
  if (found === undefined) return undefined;
  return `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The message for a name holding a forbidden character (the character named, never the name). */
export function nameCharacterProblem(name: string): string | undefined {
  const found = forbiddenNameCharacter(name);
  return found === undefined ? undefined : `${FORBIDDEN_NAME_CHARACTER_MESSAGE}; found ${found}`;
}
