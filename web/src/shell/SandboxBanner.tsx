/** Shown on every page while meta.sandboxMode is true, so nobody mistakes the stand-ins for the real services. */
export function SandboxBanner() {
  return (
    <aside className="sandbox-banner" aria-label="Sandbox mode">
      <p role="status">
        <span className="sandbox-badge">Sandbox</span>{' '}
        <strong>Sandbox mode</strong> — the hub is talking to the built-in PagerDuty and Linear stand-ins, not the real
        services.
      </p>
    </aside>
  );
}
