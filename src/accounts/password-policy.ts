import { COMMON_PASSWORDS } from './common-passwords.js';

/**
 * What makes a new password too easy to guess, besides its length (src/api/field-rules.ts: at least
 * MIN_PASSWORD_LENGTH characters). Applied wherever a person chooses a password: setup, adding
 * a user, changing one's own. A refused password is answered 400 `weak_password`.
 *
 * 1. `common`: its stem — lower case, the digits and symbols around it removed, look-alike
 *    characters read back as letters ("P@ssw0rd2024!" → "password") — or the whole thing is
 *    in the bundled list (common-passwords.ts).
 * 2. `predictable`: a keyboard walk, an alphabetic or numeric run, or a repetition — at most
 *    two (or one per six characters) "jumps" between neighbouring characters that are not
 *    next to each other on the keyboard or in the alphabet ("qwertyuiop12", "abcdef123456",
 *    "aaaaaaaaaaaa"), or a short unit repeated ("abc1abc1abc1").
 * 3. `personal`: mostly the person's e-mail address, name or organisation name (or the hub's
 *    name) — fewer than 6 letters or digits besides them, or only a predictable rest.
 * Containing a personal word is fine when enough else is there ("viewer password 1").
 */

export type PasswordWeakness = 'common' | 'predictable' | 'personal';

/** Words that must not carry a password: the person's e-mail address, name, organisation name. */
export interface PasswordContext {
  email?: string | undefined;
  name?: string | undefined;
  organisationName?: string | undefined;
}

/** Words about the hub itself, refused like personal ones. */
const HUB_WORDS = ['integrationhub', 'integration', 'pagerduty', 'linear'];

/** Keys next to each other in these count as neighbours (US, German and French layouts). */
const KEYBOARD_LINES = [
  '`1234567890-=',
  '~!@#$%^&*()_+',
  'qwertyuiop[]\\',
  "asdfghjkl;'",
  'zxcvbnm,./',
  'qwertzuiop',
  'yxcvbnm',
  'azertyuiop',
  'qsdfghjklm',
  'wxcvbn',
  '1qaz',
  '2wsx',
  '3edc',
  '4rfv',
  '5tgb',
  '6yhn',
  '7ujm',
  '8ik,',
  '9ol.',
  '0p;/',
];

/** Both orders of every two adjacent keys of a line (the lines are ASCII: one UTF-16 unit per key). */
function adjacentPairs(line: string): string[] {
  const pairs: string[] = [];
  for (let i = 1; i < line.length; i++) {
    const pair = line.slice(i - 1, i + 1);
    pairs.push(pair, pair.charAt(1) + pair.charAt(0));
  }
  return pairs;
}

const NEIGHBOURS: ReadonlySet<string> = new Set(KEYBOARD_LINES.flatMap(adjacentPairs));

const LOOK_ALIKES: Record<string, string> = { '@': 'a', '4': 'a', $: 's', '5': 's', '0': 'o', '1': 'i', '!': 'i', '|': 'i', '3': 'e', '7': 't', '8': 'b', '9': 'g' };

const lettersAndDigits = (text: string): string => text.replace(/[^\p{L}\p{N}]/gu, '');

/** The forms of a password compared with the list: bare, without its decoration, look-alikes read back. */
function stems(lower: string): string[] {
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  // One code point at a time (`u`): the look-alikes are single characters.
  const readBack = core.replace(/./gsu, (char) => LOOK_ALIKES[char] ?? char);
  return [lettersAndDigits(lower), lettersAndDigits(core), lettersAndDigits(readBack)].filter((stem) => stem !== '');
}

function isCommon(lower: string): boolean {
  return stems(lower).some((stem) => COMMON_PASSWORDS.has(stem));
}

/** Neighbouring characters that are not neighbours on a keyboard or in the alphabet. */
function jumps(text: string): number {
  let count = 0;
  for (let i = 1; i < text.length; i++) {
    const a = text.charCodeAt(i - 1);
    const b = text.charCodeAt(i);
    if (Math.abs(a - b) > 1 && !NEIGHBOURS.has(`${text[i - 1]}${text[i]}`)) count++;
  }
  return count;
}

/** `text` is one unit of at most 6 characters (or a listed word) said again and again. */
function isRepetition(text: string): boolean {
  for (let size = 1; size <= text.length / 2; size++) {
    if (text.length % size !== 0) continue;
    const unit = text.slice(0, size);
    if (unit.repeat(text.length / size) === text && (size <= 6 || COMMON_PASSWORDS.has(lettersAndDigits(unit)))) return true;
  }
  return false;
}

function isPredictable(text: string): boolean {
  if (text.length === 0) return true;
  return jumps(text) <= Math.max(2, Math.floor(text.length / 6)) || isRepetition(text);
}

function personalWords(context: PasswordContext): string[] {
  const [local = '', domain = ''] = (context.email ?? '').toLowerCase().split('@');
  const phrases = [local, domain.split('.')[0] ?? '', context.email ?? '', context.name ?? '', context.organisationName ?? ''];
  const words = phrases.flatMap((phrase) => [phrase, ...phrase.split(/[^\p{L}\p{N}]+/u)]).map((word) => lettersAndDigits(word.toLowerCase()));
  // Longest first, so "adalovelace" goes before "ada".
  return [...new Set([...words, ...HUB_WORDS])].filter((word) => word.length >= 3).sort((a, b) => b.length - a.length);
}

function isMostlyPersonal(lower: string, context: PasswordContext): boolean {
  const bare = lettersAndDigits(lower);
  let rest = bare;
  for (const word of personalWords(context)) rest = rest.split(word).join('');
  if (rest === bare) return false;
  return rest.length < 6 || isPredictable(rest);
}

/** Why `password` is too easy to guess, or undefined when it is not (length is checked elsewhere). */
export function passwordWeakness(password: string, context: PasswordContext = {}): PasswordWeakness | undefined {
  const lower = password.normalize('NFKC').toLowerCase();
  if (isCommon(lower)) return 'common';
  if (isPredictable(lower.replace(/\s+/g, ''))) return 'predictable';
  if (isMostlyPersonal(lower, context)) return 'personal';
  return undefined;
}

/** The words for each weakness, worded to follow the field's name ("Password is …"). */
export const WEAKNESS_MESSAGES: Record<PasswordWeakness, string> = {
  common: 'is one of the most common passwords (or one dressed up with digits and symbols): choose a phrase of unrelated words',
  predictable: 'is a keyboard pattern, a sequence or a repetition: choose something less predictable',
  personal: 'is too close to the e-mail address, the name or the organisation name: add words that have nothing to do with them',
};
