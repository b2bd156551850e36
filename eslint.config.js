// @ts-check
/**
 * Lint for the whole tree (`npm run lint`): typescript-eslint's strict and stylistic type-checked
 * rules over src/, sandbox/, web/src/, test/, bench/ and the config files, typed by tsconfig.json
 * (which includes all of them). Import boundaries are dependency-cruiser's job
 * (.dependency-cruiser.mjs, `npm run lint:deps`); see docs/architecture.md ("Boundaries").
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Provider names that only src/providers/ may compare against (issue 9: a vendor lives in one folder). */
const PROVIDER_NAME = '/^(linear|pagerduty)$/';
const PROVIDER_BRANCH_MESSAGE =
  '[provider-names-only-in-providers] Only src/providers/ may branch on a provider name: ask the ' +
  'Provider from the registry instead (docs/architecture.md, "A vendor lives in one folder").';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'web/public/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers and booleans read fine in messages and URLs; objects, nullish values and
      // unknowns are still refused (they print "[object Object]" or "undefined").
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `_name` marks a parameter a signature needs but the body does not (tsc's noUnused* agree).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The house style: `T[]` for a simple element type, `Array<…>` for objects, tuples, unions.
      '@typescript-eslint/array-type': ['error', { default: 'array-simple' }],
      // `() => resolve()` and `(x) => list.push(x)` as callbacks are idiomatic, not confusing.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Off: Fastify tells an async hook or handler from a callback-style one by `async`, so
      // `async` without `await` is often required there, and test callbacks are async by habit.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read JSON bodies through helpers typed `any` on purpose (test/helpers/client.ts) and
    // assert them at run time with expect; typed fetch helpers (`get<T>()`) cast on purpose; a
    // wrong `!` fails the test loudly; teardown guards (`afterAll(() => hub?.close())`) cover a
    // setup that threw before assigning; `Number(row.n)` normalises what a driver returns. So
    // these rules are off for test code only; every other strict rule applies.
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'web/src/test-support/**', 'sandbox/*/testing.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
    },
  },
  {
    // The stand-ins keep their in-memory state consistent by construction (seeded, ids never
    // dangle), and `state.teams.get(issue.teamId)!` says exactly that; spelling out a check at
    // each of ~90 such lookups would add noise without catching a bug. src/ and web/src keep the rule.
    files: ['sandbox/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Plain JavaScript (bin/, config files, the worker fixture) has no types to check against.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/providers/**', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `BinaryExpression[operator=/^[!=]==?$/] > Literal[value=${PROVIDER_NAME}]`, message: PROVIDER_BRANCH_MESSAGE },
        { selector: `SwitchCase > Literal.test[value=${PROVIDER_NAME}]`, message: PROVIDER_BRANCH_MESSAGE },
      ],
    },
  },
);
