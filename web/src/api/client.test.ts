// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, api, setCsrfToken, setSessionLostHandler } from './client.js';

function answer(status: number, body?: unknown, statusText = ''): Response {
  const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, { status, statusText, headers: { 'content-type': 'application/json' } });
}

function stubFetch(response: Response | Error) {
  const fetchMock = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => {
    if (response instanceof Error) throw response;
    return response;
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

async function failure(promise: Promise<unknown>): Promise<ApiRequestError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiRequestError)) throw new Error(`expected an ApiRequestError, got ${String(error)}`);
  return error;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
  setSessionLostHandler(undefined);
});

describe('API client', () => {
  it('sends "anonymous" as the CSRF token before logging in and the session token after', async () => {
    const fetchMock = stubFetch(answer(204));
    await api.logOut();
    setCsrfToken('token-123');
    await api.logOut();
    const headers = fetchMock.mock.calls.map(([, init]) => (init?.headers as Record<string, string>)['x-csrf-token']);
    expect(headers).toEqual(['anonymous', 'token-123']);
  });

  it('sends no CSRF header on GET and JSON on POST', async () => {
    const fetchMock = stubFetch(answer(200, { version: '1', setupRequired: false, sandboxMode: true }));
    expect(await api.meta()).toEqual({ version: '1', setupRequired: false, sandboxMode: true });
    expect(fetchMock.mock.calls[0]?.[1]?.headers).not.toHaveProperty('x-csrf-token');

    const post = stubFetch(answer(200, {}));
    await api.logIn({ email: 'a@example.com', password: 'secret' });
    const init = post.mock.calls[0]?.[1];
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"email":"a@example.com","password":"secret"}');
    expect(init?.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it("turns the hub's error shape into an error carrying its message and code", async () => {
    stubFetch(answer(429, { error: { code: 'too_many_attempts', message: 'Try again in 30 s.' } }));
    const error = await failure(api.logIn({ email: 'a@example.com', password: 'x' }));
    expect(error).toMatchObject({ status: 429, code: 'too_many_attempts', message: 'Try again in 30 s.' });
  });

  it('maps invalid_body details to field errors', async () => {
    stubFetch(
      answer(400, {
        error: {
          code: 'invalid_body',
          message: 'The request body is invalid.',
          details: [
            { path: 'email', message: 'must be an e-mail address' },
            { path: 'password', message: 'Too short.' },
            { path: 'password', message: 'Second problem' },
            { path: '', message: 'Whole body' },
          ],
        },
      }),
    );
    const error = await failure(api.createUser({ email: 'x', name: 'X', password: 'y', role: 'viewer' }));
    expect(error.fieldErrors()).toEqual({ email: 'Must be an e-mail address.', password: 'Too short.' });
  });

  it('explains answers that are not the error shape, and network failures', async () => {
    stubFetch(answer(502, '<html>Bad gateway</html>', 'Bad Gateway'));
    expect((await failure(api.users())).message).toBe('The hub answered 502 Bad Gateway. Try again in a moment.');

    stubFetch(new TypeError('fetch failed'));
    const error = await failure(api.meta());
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('reports a lost session on 401 from authenticated calls only', async () => {
    const lost = vi.fn();
    setSessionLostHandler(lost);
    stubFetch(answer(401, { error: { code: 'invalid_credentials', message: 'Wrong email or password.' } }));
    await failure(api.logIn({ email: 'a@example.com', password: 'x' }));
    expect(lost).not.toHaveBeenCalled();

    stubFetch(answer(401, { error: { code: 'unauthenticated', message: 'Log in to continue.' } }));
    await failure(api.users());
    expect(lost).toHaveBeenCalledOnce();
  });
});
