import type { ReactNode } from 'react';
import type { MetaResponse } from '../api/client.js';
import { LogoMark } from '../components/Icons.js';
import { useDocumentTitle } from '../routing.js';
import { SandboxBanner } from '../shell/SandboxBanner.js';

/** The centred card that frames the pages shown before anyone is logged in. */
export function AuthFrame({ meta, title, lead, children }: { meta: MetaResponse; title: string; lead?: ReactNode; children: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="auth-page">
      {meta.sandboxMode && <SandboxBanner sandbox={meta.sandbox} />}
      <main className="auth-main" id="main">
        <div className="auth-brand">
          <LogoMark />
          <span>Integration Hub</span>
        </div>
        <div className="auth-card">
          <h1 id="page-heading" tabIndex={-1}>
            {title}
          </h1>
          {lead !== undefined && <p className="auth-lead">{lead}</p>}
          {children}
        </div>
        <p className="auth-footer">Integration Hub v{meta.version} · keeps Linear issues and PagerDuty incidents in step</p>
      </main>
    </div>
  );
}
