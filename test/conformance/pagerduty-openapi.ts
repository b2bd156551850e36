import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { referenceDir } from '../helpers/reference.js';

/**
 * Validates responses against PagerDuty's official OpenAPI description, read in place (never
 * copied). The whole document is added to ajv once as "pd"; each operation's response schema is
 * compiled on first use by JSON pointer (`pd#/paths/~1incidents~1{id}/put/responses/200/…`),
 * so the description's internal $refs resolve as written.
 *
 * Status rules: a documented status is validated against its schema (or only checked to exist
 * when the description gives no body schema, e.g. 202/204 and the Webhook* error responses);
 * an undocumented error status (>= 400) is validated against the description's generic error
 * schema; an undocumented success status is a failure.
 */
export interface ValidationResult {
  ok: boolean;
  /** How the body was judged: "schema", "generic-error" or "status-only". */
  basis: 'schema' | 'generic-error' | 'status-only' | 'undocumented';
  errors: string[];
}

type Json = Record<string, any>;

// ajv-formats is CommonJS; under NodeNext its default export may be wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const GENERIC_ERROR = 'pd#/components/responses/Conflict/content/application~1json/schema';

export class PagerDutyOpenApi {
  private readonly ajv: Ajv;
  private readonly doc: Json;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file: string) {
    this.doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
    addFormats(this.ajv);
    // Two formats are looser here than ajv-formats' versions, deliberately:
    // - "url" (not a JSON Schema format): ajv-formats refuses private and dotless hosts, which
    //   judges where a server runs, not the shape of the value; the sandbox lives on 127.0.0.1.
    // - "time": RFC 3339 requires an offset, but the description's own examples send
    //   support_hours times as "09:00:00".
    this.ajv.addFormat('url', (value: string) => {
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    });
    this.ajv.addFormat('time', /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i);
    this.ajv.addSchema(this.doc, 'pd');
  }

  /** `pathTemplate` as written in the description, e.g. "/incidents/{id}/notes". */
  validate(method: string, pathTemplate: string, status: number, body: unknown): ValidationResult {
    const op = this.doc.paths?.[pathTemplate]?.[method.toLowerCase()];
    if (!op) return { ok: false, basis: 'undocumented', errors: [`${method} ${pathTemplate} is not in the description`] };
    const entry = op.responses?.[String(status)];
    if (!entry) {
      if (status < 400) return { ok: false, basis: 'undocumented', errors: [`${method} ${pathTemplate} documents no ${status}`] };
      return this.run(GENERIC_ERROR, body, 'generic-error');
    }
    let pointer = `pd#/paths/${escape(pathTemplate)}/${method.toLowerCase()}/responses/${status}`;
    let response: Json = entry;
    if (typeof entry.$ref === 'string') {
      pointer = `pd${entry.$ref}`;
      response = this.resolve(entry.$ref);
    }
    if (!response.content?.['application/json']?.schema) return { ok: true, basis: 'status-only', errors: [] };
    return this.run(`${pointer}/content/application~1json/schema`, body, 'schema');
  }

  private run(ref: string, body: unknown, basis: ValidationResult['basis']): ValidationResult {
    let fn = this.compiled.get(ref);
    if (!fn) {
      fn = this.ajv.getSchema(ref);
      if (!fn) throw new Error(`cannot compile ${ref}`);
      this.compiled.set(ref, fn);
    }
    const ok = fn(body);
    return { ok, basis, errors: ok ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`) };
  }

  private resolve(ref: string): Json {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: Json, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
  }
}

let shared: PagerDutyOpenApi | undefined;

/** One validator per process over `referenceDir()/pagerduty/openapiv3.json` (compiling is the slow part). */
export function pagerDutyOpenApi(): PagerDutyOpenApi {
  shared ??= new PagerDutyOpenApi(path.join(referenceDir(), 'pagerduty', 'openapiv3.json'));
  return shared;
}

/** Validates one response with the shared validator (callers check referenceAvailable() first). */
export function validatePagerDutyResponse(method: string, pathTemplate: string, status: number, body: unknown): ValidationResult {
  return pagerDutyOpenApi().validate(method, pathTemplate, status, body);
}
