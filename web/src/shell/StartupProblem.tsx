import { useDocumentTitle } from '../routing.js';

/** Shown when the hub cannot be asked who is logged in (it is down, or answered with an error). */
export function StartupProblem({ message, onRetry }: { message: string; onRetry: () => void }) {
  useDocumentTitle('Cannot reach the hub');
  return (
    <main className="auth-main" id="main">
      <div className="auth-card">
        <h1>Integration Hub is not answering</h1>
        <p className="notice notice-error" role="alert">
          {message}
        </p>
        <button type="button" className="button button-primary" onClick={onRetry}>
          Try again
        </button>
      </div>
    </main>
  );
}
