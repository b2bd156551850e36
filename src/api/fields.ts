import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, nameCharacterProblem } from './field-rules.js';

/**
 * Field schemas shared by the account endpoints, so each rule (e-mail normalisation, password
 * lengths, name lengths and characters) is written once.
 */

/** Trimmed and lower-cased before it is checked: "  Ada@Example.COM " is "ada@example.com". */
export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be an e-mail address' }));

/** A password being set (setup, new user, change): at least {@link MIN_PASSWORD_LENGTH} characters. */
export const newPasswordField = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

/** A password being checked (log-in, the current one): any non-empty string, bounded. */
export const passwordField = z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH, 'is too long');

/** A person's or an organisation's name: trimmed, 1–100 characters, none of them invisible or a control. */
const nameField = () =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(100, 'must be at most 100 characters')
    .superRefine((name, ctx) => {
      const problem = nameCharacterProblem(name);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });

export const personNameField = nameField();

export const organisationNameField = nameField();

/** A rule's name (unique per organisation, ignoring case: the server checks that). */
export const ruleNameField = nameField();

export const roleSchema = z.enum(['admin', 'viewer']);
export type Role = z.infer<typeof roleSchema>;
