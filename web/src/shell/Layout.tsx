import { useEffect, useRef, type ReactNode } from 'react';
import type { MetaResponse, SessionResponse } from '../api/client.js';
import { LogoMark } from '../components/Icons.js';
import { Link, DEFAULT_PATH } from '../routing.js';
import { Nav } from './Nav.js';
import { SandboxBanner } from './SandboxBanner.js';
import { UserMenu } from './UserMenu.js';

interface Props {
  meta: MetaResponse;
  session: SessionResponse;
  path: string;
  onLogOut: () => Promise<string | undefined>;
  children: ReactNode;
}

/** Header (brand, tabs, user menu), the sandbox banner and the page. */
export function Layout({ meta, session, path, onLogOut, children }: Props) {
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After a client-side navigation, move focus to the new page's heading so keyboard and
  // screen-reader users start there (a full page load would do the same).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('page-heading')?.focus();
  }, [path]);

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      {meta.sandboxMode && <SandboxBanner sandbox={meta.sandbox} />}
      <header className="topbar">
        <div className="topbar-inner">
          <Link href={DEFAULT_PATH} className="brand">
            <LogoMark />
            <span>Integration Hub</span>
          </Link>
          <Nav path={path} />
          <UserMenu session={session} onLogOut={onLogOut} />
        </div>
      </header>
      <main className="main" id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <span>Integration Hub v{meta.version}</span>
        <span>{session.organisation.name}</span>
      </footer>
    </div>
  );
}
