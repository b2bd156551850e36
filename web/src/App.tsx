import { useCallback, useEffect, useState } from 'react';
import { ApiRequestError, api, setCsrfToken, setSessionLostHandler, type MetaResponse, type SessionResponse } from './api/client.js';
import { ChangePasswordPage } from './auth/ChangePasswordPage.js';
import { LoginPage } from './auth/LoginPage.js';
import { SetupPage } from './auth/SetupPage.js';
import { DEFAULT_PATH, isAppPath, navigate, usePath } from './routing.js';
import { Layout } from './shell/Layout.js';
import { Page } from './shell/Page.js';
import { StartupProblem } from './shell/StartupProblem.js';

type State =
  | { kind: 'loading' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'setup'; meta: MetaResponse }
  | { kind: 'login'; meta: MetaResponse; notice?: string | undefined }
  | { kind: 'app'; meta: MetaResponse; session: SessionResponse };

/** Where each state belongs; the app corrects the address bar to match (replacing, not pushing). */
function pathFor(state: State, path: string): string | undefined {
  if (state.kind === 'setup') return path === '/setup' ? undefined : '/setup';
  if (state.kind === 'login') return path === '/login' ? undefined : '/login';
  if (state.kind === 'app' && (path === '/' || path === '/login' || path === '/setup')) return DEFAULT_PATH;
  return undefined;
}

/**
 * Start-up: GET /api/meta decides between "Create the first admin" and the session check;
 * GET /api/session decides between "Log in" and the app — or, after an admin reset the
 * password, "Choose a new password" first.
 */
export function App() {
  const path = usePath();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [returnTo, setReturnTo] = useState<string>();

  const start = useCallback(async (): Promise<void> => {
    try {
      const meta = await api.meta();
      if (meta.setupRequired) {
        setState({ kind: 'setup', meta });
        return;
      }
      try {
        const session = await api.session();
        setCsrfToken(session.csrfToken);
        setState({ kind: 'app', meta, session });
      } catch (caught) {
        if (!(caught instanceof ApiRequestError) || caught.status !== 401) throw caught;
        setState({ kind: 'login', meta });
      }
    } catch (caught) {
      const message = caught instanceof ApiRequestError ? caught.message : 'Something went wrong while starting.';
      setState({ kind: 'unreachable', message });
    }
  }, []);

  useEffect(() => {
    void start();
  }, [start]);

  useEffect(() => {
    setSessionLostHandler(() => {
      setCsrfToken(undefined);
      setState((previous) =>
        previous.kind === 'app' ? { kind: 'login', meta: previous.meta, notice: 'Your session has ended. Log in again to continue.' } : previous,
      );
    });
    return () => setSessionLostHandler(undefined);
  }, []);

  useEffect(() => {
    const target = pathFor(state, path);
    if (target === undefined) return;
    // Keep the query too: /connections?attempt=… must survive logging in again.
    if (state.kind === 'login' && isAppPath(path)) setReturnTo(path + window.location.search);
    navigate(target, { replace: true });
  }, [state, path]);

  function enter(meta: MetaResponse, session: SessionResponse): void {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'app', meta, session });
    navigate(returnTo ?? DEFAULT_PATH, { replace: true });
    setReturnTo(undefined);
  }

  async function logOut(meta: MetaResponse): Promise<string | undefined> {
    try {
      await api.logOut();
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      if (caught.status !== 401) return caught.message;
    }
    setCsrfToken(undefined);
    setState({ kind: 'login', meta, notice: 'You have logged out.' });
    navigate('/login');
    return undefined;
  }

  async function refreshSession(): Promise<void> {
    const session = await api.session();
    setCsrfToken(session.csrfToken);
    setState((previous) => (previous.kind === 'app' ? { ...previous, session } : previous));
  }

  switch (state.kind) {
    case 'loading':
      return (
        <p className="startup" role="status">
          Loading Integration Hub…
        </p>
      );
    case 'unreachable':
      return <StartupProblem message={state.message} onRetry={() => void start()} />;
    case 'setup':
      return <SetupPage meta={state.meta} onCreated={(session) => enter(state.meta, session)} onAlreadySetUp={() => void start()} />;
    case 'login':
      return <LoginPage meta={state.meta} notice={state.notice} onLoggedIn={(session) => enter(state.meta, session)} />;
    case 'app':
      if (state.session.user.mustChangePassword) {
        const { meta } = state;
        return (
          <ChangePasswordPage
            meta={meta}
            session={state.session}
            onChanged={(session) => setState({ kind: 'app', meta, session })}
            onLogOut={() => logOut(meta)}
          />
        );
      }
      return (
        <Layout meta={state.meta} session={state.session} path={path} onLogOut={() => logOut(state.meta)}>
          <Page path={path} meta={state.meta} session={state.session} onSessionChanged={refreshSession} />
        </Layout>
      );
  }
}
