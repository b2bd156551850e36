import type {
  CreateUserRequest,
  SessionResponse,
  SetupRequest,
  UserResponse,
} from '../../src/api/index.js';
import { checkAnswer } from './contract.js';
import type { TestHub } from './hub.js';

/** What a call answered: status, headers, the raw text and the parsed JSON (undefined if none). */
export interface ClientResponse<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  /** JSON-encoded unless `rawBody` is given. */
  body?: unknown;
  /** Sent as is (with content-type application/json unless `headers` say otherwise). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Override the X-CSRF-Token header; null sends none. Default: the session's token. */
  csrfToken?: string | null;
  /** Override the Origin header; null sends none. Default: the hub's PUBLIC_URL origin. */
  origin?: string | null;
  /** 'manual' returns redirects instead of following them (default: follow). */
  redirect?: 'manual' | 'follow';
}

/**
 * A browser-like API client for tests: checks every success answer against the API contract
 * (helpers/contract.ts), keeps cookies, and on every POST/PUT/PATCH/DELETE
 * sends Origin (the hub's PUBLIC_URL origin) and X-CSRF-Token (the token of the session it
 * last saw, or a placeholder before logging in). Every response text is kept in `seen` so
 * suites can assert nothing secret was ever sent back.
 */
export class HubClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  readonly seen: string[] = [];
  readonly baseUrl: string;
  readonly origin: string;

  constructor(hub: Pick<TestHub, 'url' | 'config'>) {
    this.baseUrl = hub.url;
    this.origin = hub.config.publicUrl.origin;
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ClientResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const hasBody = options.body !== undefined || options.rawBody !== undefined;
    if (hasBody) headers['content-type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD') {
      const origin = options.origin === undefined ? this.origin : options.origin;
      if (origin !== null) headers.origin = origin;
      const token = options.csrfToken === undefined ? (this.csrfToken ?? 'test-client') : options.csrfToken;
      if (token !== null) headers['x-csrf-token'] = token;
    }
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    Object.assign(headers, options.headers);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      redirect: options.redirect ?? 'follow',
      ...(hasBody ? { body: options.rawBody ?? JSON.stringify(options.body) } : {}),
    });
    this.storeCookies(response.headers.getSetCookie());
    const text = await response.text();
    this.seen.push(text);
    let body: any;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (body !== undefined && typeof body === 'object' && body !== null && typeof body.csrfToken === 'string') {
      this.csrfToken = body.csrfToken;
    }
    if (method === 'DELETE' && path === '/api/session' && response.ok) this.csrfToken = undefined;
    checkAnswer(method, path, response.status, body);
    return { status: response.status, headers: response.headers, text, body: body as T };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, ...(body !== undefined ? { body } : {}) });
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, ...(body !== undefined ? { body } : {}) });
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  private storeCookies(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired =
        value === '' ||
        attributes.some((attribute) => /^max-age=0$/i.test(attribute)) ||
        attributes.some((attribute) => /^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) <= Date.now());
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** A new client for `hub`. */
export function client(hub: Pick<TestHub, 'url' | 'config'>): HubClient {
  return new HubClient(hub);
}

export const DEFAULT_ADMIN: SetupRequest = {
  organisationName: 'Acme',
  name: 'Ada Admin',
  email: 'ada@acme.test',
  password: 'correct horse battery staple',
};

function expectStatus(response: ClientResponse, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status}: ${response.text}`);
  }
}

/** POST /api/setup with `DEFAULT_ADMIN` (or overrides); the client is then logged in as that admin. */
export async function setupFirstAdmin(c: HubClient, overrides: Partial<SetupRequest> = {}): Promise<SessionResponse> {
  const response = await c.post<SessionResponse>('/api/setup', { ...DEFAULT_ADMIN, ...overrides });
  expectStatus(response, 201, 'setup');
  return response.body;
}

/** POST /api/session; the client is then logged in. */
export async function login(c: HubClient, email: string, password: string): Promise<SessionResponse> {
  const response = await c.post<SessionResponse>('/api/session', { email, password });
  expectStatus(response, 200, `log in as ${email}`);
  return response.body;
}

/** POST /api/users as the (admin) client; returns the new user. */
export async function createUser(
  admin: HubClient,
  user: Partial<CreateUserRequest> & Pick<CreateUserRequest, 'email'>,
): Promise<UserResponse['user']> {
  const response = await admin.post<UserResponse>('/api/users', {
    name: 'Test User',
    password: 'a long enough password',
    role: 'viewer',
    ...user,
  });
  expectStatus(response, 201, `create user ${user.email}`);
  return response.body.user;
}
