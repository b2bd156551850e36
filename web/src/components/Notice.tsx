import type { ReactNode } from 'react';

/**
 * A message box. Errors use role="alert" so they are announced when they appear; other
 * kinds are polite status messages.
 */
export function Notice({ kind, children }: { kind: 'error' | 'success' | 'info'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
