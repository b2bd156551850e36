import type { MetaResponse } from '../../../src/api/index.js';

/** Shown on every page in sandbox mode, so nobody mistakes the stand-ins for the real services. */
export function SandboxBanner({ sandbox }: { sandbox: MetaResponse['sandbox'] }) {
  return (
    <aside className="sandbox-banner" aria-label="Sandbox mode">
      <p role="status">
        <span className="sandbox-badge">Sandbox</span>{' '}
        <strong>Sandbox mode</strong> — the hub is talking to the built-in PagerDuty and Linear stand-ins, not the real
        services.
        {sandbox !== null && (
          <>
            {' '}
            Act as a responder in the <a href={sandbox.pagerdutyUrl}>PagerDuty sandbox</a> or as a user in the{' '}
            <a href={sandbox.linearUrl}>Linear sandbox</a>.
          </>
        )}
      </p>
    </aside>
  );
}
