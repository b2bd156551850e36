/**
 * The hub's import boundaries, checked by `npm run lint:deps` (dependency-cruiser).
 * docs/architecture.md ("Boundaries") explains the layering these rules encode:
 *
 *   core ← config, observability ← db ← queue, providers, vault
 *        ← accounts, connections, webhooks (rules, sync, retention) ← http (with the api contract) ← main, cli
 *
 * Every rule is named after what it protects; a violation prints that name, the importing
 * file and the imported one. Test files (`*.test.ts[x]`, `test/**`, `web/src/test-support/**`)
 * may import anything, so the layering rules ignore them as importers.
 * Type-only imports count: a type is a dependency on the module that owns it.
 */

/** Files that are tests or test support: exempt as importers from the layering rules. */
const TESTS = ['\\.test\\.tsx?$', '^test/', '^web/src/test-support/'];

/**
 * Shared vocabulary: pure leaf modules that the lowest layers, the API contract and (through the
 * contract) the web app all use — provider keys, the rule for characters in names. Each imports
 * nothing at all (rule shared-vocabulary-imports-nothing), so sharing them leaks no server code.
 */
const SHARED_VOCABULARY = ['^src/core/name-characters\\.ts$', '^src/providers/names\\.ts$'];

/** Domain code: everything under src/ that is not the HTTP layer, the API contract or an entry point. */
const DOMAIN = '^src/(accounts|connections|webhooks|vault|queue|providers|rules|sync|retention|db|core|config|observability)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Modules import each other in a cycle. Break it by moving the shared piece down a layer ' +
        '(often into the lower module, or into src/core).',
      from: { path: '^(src|web/src|sandbox)/' },
      to: { circular: true },
    },
    {
      name: 'core-imports-nothing-from-the-hub',
      severity: 'error',
      comment:
        'src/core holds small shared pieces (clock, ids, Result) that every layer may use; it ' +
        'must not know any other part of the hub.',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'shared-vocabulary-imports-nothing',
      severity: 'error',
      comment:
        'A shared vocabulary module (SHARED_VOCABULARY above) is bundled into the web app and read ' +
        'by the lowest layers: it must import nothing, not even an npm package or a Node built-in.',
      from: { path: SHARED_VOCABULARY, pathNot: TESTS },
      to: {},
    },
    {
      name: 'config-imports-only-core',
      severity: 'error',
      comment:
        'src/config is the zod schema of the environment, read before anything else starts; ' +
        'it may use src/core only. Rules it shares with a domain module belong in src/core.',
      from: { path: '^src/config/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/(config|core)/' },
    },
    {
      name: 'observability-imports-only-config-and-core',
      severity: 'error',
      comment: 'The logger and metrics sit below every service; they may use src/config (types) and src/core.',
      from: { path: '^src/observability/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/(observability|config|core)/' },
    },
    {
      name: 'db-imports-only-config-and-core',
      severity: 'error',
      comment:
        'src/db (Kysely factory, table types, migrations) is below every domain module; it may ' +
        'use src/config (types), src/core and the shared vocabulary (provider keys) only.',
      from: { path: '^src/db/', pathNot: TESTS },
      to: { path: '^src/', pathNot: ['^src/(db|config|core)/', ...SHARED_VOCABULARY] },
    },
    {
      name: 'queue-imports-only-db-core-observability',
      severity: 'error',
      comment:
        'The queue runs jobs of every kind and knows none of them: each job kind declares how its ' +
        'errors are classified. src/queue may use src/db, src/core and src/observability only ' +
        '(and src/config for types).',
      from: { path: '^src/queue/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/(queue|db|core|observability|config)/' },
    },
    {
      name: 'providers-import-only-core-config-observability',
      severity: 'error',
      comment:
        'A vendor lives in src/providers/<vendor>/ and talks to the rest of the hub through the ' +
        'Provider interface: it knows no route, table, connection, webhook, queue or account. ' +
        'src/providers may use src/core, src/config (types) and src/observability only.',
      from: { path: '^src/providers/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/(providers|core|config|observability)/' },
    },
    {
      name: 'domain-does-not-import-http',
      severity: 'error',
      comment:
        'Domain code returns outcomes as values (src/core/result.ts); only routes turn them into ' +
        'HTTP answers (src/http/failures.ts). Nothing outside src/http, src/main.ts and src/cli.ts ' +
        'imports src/http.',
      from: { path: DOMAIN, pathNot: TESTS },
      to: { path: '^src/http/' },
    },
    {
      name: 'domain-does-not-import-the-api-contract',
      severity: 'error',
      comment:
        'src/api is the request/response contract of the routes and the web app. Domain code has ' +
        'its own vocabulary and must not depend on the wire shapes; routes map between them.',
      from: { path: DOMAIN, pathNot: TESTS },
      to: { path: '^src/api/' },
    },
    {
      name: 'api-contract-imports-only-zod',
      severity: 'error',
      comment:
        'src/api is bundled into the web app: it may import itself, zod and the shared vocabulary, ' +
        'nothing else (no server code, no Node built-ins).',
      from: { path: '^src/api/', pathNot: TESTS },
      to: { pathNot: ['^src/api/', '^node_modules/zod/', ...SHARED_VOCABULARY] },
    },
    {
      name: 'web-imports-only-web-and-the-api-contract',
      severity: 'error',
      comment:
        'The web app runs in the browser: it may import web/src, the contract in src/api and npm ' +
        'packages, never other server code.',
      from: { path: '^web/src/', pathNot: TESTS },
      to: { path: '^(src|sandbox|test|bin)/', pathNot: '^src/api/' },
    },
    {
      name: 'sandbox-imports-no-hub-code',
      severity: 'error',
      comment:
        'The sandbox stands in for PagerDuty and Linear, services outside the hub: it must not know ' +
        "the hub's code. Only src/core (which knows nothing of the hub either) may be shared.",
      from: { path: '^sandbox/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'only-main-starts-the-sandbox',
      severity: 'error',
      comment:
        'The hub starts the stand-ins in sandbox mode from its composition root (src/main.ts); no ' +
        'other hub module may reach into sandbox/.',
      from: { path: '^src/', pathNot: ['^src/main\\.ts$', ...TESTS] },
      to: { path: '^sandbox/' },
    },
    {
      name: 'production-code-does-not-import-tests',
      severity: 'error',
      comment: 'Code that ships (src/, sandbox/, web/src/) must not import tests, test helpers or test runners.',
      from: { path: '^(src|sandbox|web/src)/', pathNot: TESTS },
      to: { path: [...TESTS, '^node_modules/(vitest|@vitest)/'] },
    },
    {
      name: 'production-code-does-not-import-dev-dependencies',
      severity: 'error',
      comment:
        'src/ and sandbox/ run from dist/ with the production dependencies; a runtime import of a ' +
        'devDependency would break an install without them. Type-only imports are fine.',
      from: { path: '^(src|sandbox)/', pathNot: TESTS },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: '^node_modules/@types/' },
    },
    {
      name: 'no-undeclared-packages',
      severity: 'error',
      comment: 'An imported npm package must be declared in package.json, not reached through another package.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-unresolvable-imports',
      severity: 'error',
      comment:
        'The import names a file or package that does not exist. (Imports of the built program ' +
        'in dist/, by tests that start it, resolve only after `npm run build`.)',
      from: {},
      to: { couldNotResolve: true, pathNot: '(^|/)dist/' },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules/' },
    exclude: { path: '^(dist|node_modules)/' },
    moduleSystems: ['es6', 'cjs'],
    // Count `import type`: a type is a dependency on the module that owns it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
