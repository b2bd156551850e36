import fc from 'fast-check';

/**
 * Hostile inputs for the fuzz suites (test/fuzz/*.test.ts): strings, numbers and JSON values a
 * careless or malicious client sends, values "almost" valid by a contract's JSON Schema, and the
 * ways a JSON text is broken on the wire. Pure generators; nothing here talks to the hub.
 */

/** Fixed by default so a CI failure replays; FUZZ_SEED picks another corner of the space. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);
/** Inputs per endpoint and role (and ×10 per intake kind); FUZZ_RUNS=1000 for a long hunt. */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 30));

/**
 * fast-check parameters shared by every property of the suites. The first failing input is
 * reported as drawn, not shrunk: the hub is stateful, and shrinking would re-send hundreds of
 * requests against a state the failure may have changed.
 */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns, endOnFailure: true };
}

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../../../etc/passwd',
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '%00%ff%zz',
  '\u202Eevil',
  '\uD800',
  '\uDFFF\uD800',
  '\uFEFF',
  '\u200B',
  'e\u0301\u0301\u0301',
  '𝕳𝖚𝖇 🧨👩‍💻',
  'ﷺ'.repeat(50),
  '\r\n\t\u0085\u2028',
  'ADA@ACME.TEST',
  ' ada@acme.test ',
  'usr_',
  'rul_0',
];

/** A string a client should never be trusted with: specials, any code point (lone surrogates too), huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 101, max: 40_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 2_000 }).map((n) => '\u{1F9E8}'.repeat(n)) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 1.5, 2 ** 31, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_VALUE, Number.MAX_VALUE, 5e-324),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'id', 'organisationId', 'role', 'admin', 'version', '$where', 'a.b', 'name\u0000'),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Any JSON value, hostile at every level. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** JSON Schema as produced by zod's toJSONSchema (the subset the contract uses). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
}

/** Strings that exist in the hub under test (ids, names, e-mails) — what a near-valid value picks often. */
export interface Pool {
  strings: readonly string[];
}

/**
 * Values that satisfy `schema`'s shape (types, enums, lengths) — the hub's own ids and names
 * taken often from `pool` — so mutated copies get past the first checks and reach deeper code.
 */
export function nearValid(schema: JsonSchema, pool: Pool, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return fc.oneof(...variants.map((variant) => nearValid(variant, pool, depth + 1)));
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (type.length > 1) return fc.oneof(...type.map((one) => nearValid({ ...schema, type: one }, pool, depth + 1)));
  switch (type[0]) {
    case 'object': {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, nearValid(value, pool, depth + 1)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in model) });
    }
    case 'array':
      return fc.array(nearValid(schema.items ?? {}, pool, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, Math.max(schema.minItems ?? 0, 5)),
      });
    case 'string':
      return stringFor(schema, pool);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1e9), max: Math.min(schema.maximum ?? 1000, 1e9) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return hostileValue;
  }
}

function stringFor(schema: JsonSchema, pool: Pool): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((date) => date.toISOString());
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, 60);
  const fits = pool.strings.filter((value) => value.length >= min && value.length <= (schema.maxLength ?? Infinity));
  const fresh = fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, max) });
  return fits.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...fits) }, { weight: 2, arbitrary: fresh }) : fresh;
}

type Path = Array<string | number>;

function pathsOf(value: unknown, prefix: Path = [], found: Path[] = []): Path[] {
  found.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...prefix, index], found));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], found);
  return found;
}

/** A deep copy of JSON `value` with the node at `path` replaced by what `change` returns (removed for REMOVE). */
function edit(value: unknown, path: Path, change: (node: unknown, parent: unknown, key: string | number | undefined) => unknown): unknown {
  const copy: unknown = structuredClone(value);
  if (path.length === 0) return change(copy, undefined, undefined);
  let parent: any = copy;
  for (const step of path.slice(0, -1)) parent = parent[step];
  const key = path[path.length - 1]!;
  const result = change(parent[key], parent, key);
  if (result === REMOVE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else Reflect.deleteProperty(parent as object, key);
  } else parent[key] = result;
  return copy;
}

const REMOVE = Symbol('remove');

/**
 * `base` as is (so valid inputs are sent too), or with one node changed: replaced by a hostile
 * value of another type, removed (a missing field), given an extra field, or buried deep.
 */
export function mutated(base: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(base);
  const at = fc.nat({ max: paths.length - 1 }).map((index) => paths[index]!);
  const inner = paths.slice(1);
  const removals = inner.length === 0 ? [] : [{ weight: 2, arbitrary: fc.nat({ max: inner.length - 1 }).map((index) => edit(base, inner[index]!, () => REMOVE)) }];
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(base) },
    { weight: 4, arbitrary: fc.tuple(at, hostileValue).map(([path, value]) => edit(base, path, () => value)) },
    ...removals,
    {
      weight: 2,
      arbitrary: fc.tuple(at, hostileKey, hostileValue).map(([path, key, value]) =>
        edit(base, path, (node) => (typeof node === 'object' && node !== null && !Array.isArray(node) ? Object.assign(node, { [key]: value }) : node)),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(at, fc.integer({ min: 2, max: 200 })).map(([path, depth]) => edit(base, path, (node) => nest(node, depth))) },
    ...duplications(base, paths),
  );
}

/** An element of an array repeated (duplicate ids, names, rules in one request). */
function duplications(base: unknown, paths: Path[]): Array<fc.WeightedArbitrary<unknown>> {
  const lists = paths.filter((path) => {
    const node = path.reduce<any>((value, step) => value[step], base);
    return Array.isArray(node) && node.length > 0;
  });
  if (lists.length === 0) return [];
  return [
    {
      weight: 2,
      arbitrary: fc.tuple(fc.nat({ max: lists.length - 1 }), fc.nat()).map(([which, index]) =>
        edit(base, lists[which]!, (node) => {
          const list = node as unknown[];
          return [...list, structuredClone(list[index % list.length])];
        }),
      ),
    },
  ];
}

function nest(node: unknown, depth: number): unknown {
  let value = node;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

/** How a JSON text can be broken on the wire; valid text stays the most likely. */
export function onTheWire(json: string): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(json) },
    { weight: 2, arbitrary: fc.nat({ max: Math.max(0, json.length - 1) }).map((cut) => json.slice(0, cut)) },
    { weight: 1, arbitrary: fc.constant(`\uFEFF${json}`) },
    { weight: 1, arbitrary: fc.constant(json.startsWith('{"') ? `${duplicateFirstKey(json)}${json.slice(1)}` : json) },
    { weight: 1, arbitrary: fc.constantFrom(100, 5_000, 200_000).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.constantFrom(100, 5_000, 200_000).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '"x"', '1', 'true', '{}', '{"a":1}{"b":2}', '{"a":NaN}', '{"a":1e999}', "{'a':1}", '{"a":"\\ud800"}', '{"a":"\\u0000"}') },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    { weight: 1, arbitrary: fc.constant(Buffer.concat([Buffer.from(json.slice(0, 10)), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from(json.slice(10))])) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );
}

/** `{"k":1,...}` → `{"k":<other>,"k":1,...}`: the same key twice (JSON.parse keeps the last). */
function duplicateFirstKey(json: string): string {
  const match = /^\{("(?:[^"\\]|\\.)*"):/.exec(json);
  return match === null ? '{' : `{${match[1]}:[],`;
}

/** Printable Latin-1 (what fetch accepts in a header value), specials included. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', 'null', 'undefined', '%00', '\u00ff\u00fe', 'a'.repeat(1_500), '=;=;,;', 'v1=', 'v1=,v1=', 'sha256='),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 80 }),
).map((value) => value.trim());

/** Content-Type headers a client might send with a JSON body (undefined: none). */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=latin1',
      'application/json;;;',
      'text/plain',
      'text/html; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/xml',
      'application/vnd.api+json',
      'application/*',
      '*/*',
      'a/b/c',
      ';',
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

/** `value` with lone surrogates replaced by U+FFFD (what encodeURIComponent and URLs accept). */
export function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A path segment: usually percent-encoded (any string), sometimes raw bytes that break decoding. */
export function pathSegment(nearValidValues: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: nearValidValues.map((value) => encodeURIComponent(wellFormed(value))) },
    { weight: 3, arbitrary: hostileString.map((value) => encodeURIComponent(wellFormed(value))) },
    { weight: 1, arbitrary: fc.constantFrom('%zz', '%', '%C0%AF', '%FF', '..', '.', '%2e%2e', '..%2F..%2F', '%252F', 'a;b', 'x?y', '%23', ' ') },
  );
}

/**
 * Page cursors as a client could forge them: base64url JSON (the format the hub gives out,
 * src/http/routes/api/activity/cursor.ts) of the right shape with hostile parts, or of anything.
 */
export const forgedCursor: fc.Arbitrary<string> = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(
        fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0 }) }, { weight: 1, arbitrary: hostileNumber }),
        fc.oneof(fc.constantFrom('\u0000', 'dlv_\u0000', '\uD800'), hostileString, fc.string({ unit: 'binary', maxLength: 100 })).map((s) => s.slice(0, 100)),
      ),
    },
    { weight: 1, arbitrary: hostileValue },
  )
  .map((key) => Buffer.from(JSON.stringify(key) ?? 'null').toString('base64url'));
