import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** Client-side routes. The hub answers index.html for every one of them. */
export const TABS = [
  { path: '/connections', label: 'Connections' },
  { path: '/webhooks', label: 'Webhooks' },
  { path: '/rules', label: 'Rules' },
  { path: '/links', label: 'Links' },
  { path: '/activity', label: 'Activity' },
  { path: '/settings', label: 'Settings' },
] as const;

export type TabPath = (typeof TABS)[number]['path'];
export const DEFAULT_PATH: TabPath = '/connections';

/** A tab or a page inside one (`/rules/new`, `/rules/<id>`): somewhere to come back to after logging in. */
export function isAppPath(path: string): boolean {
  return TABS.some((tab) => path === tab.path || path.startsWith(`${tab.path}/`));
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The current pathname, without a trailing slash ("/" stays "/"). */
function currentPath(): string {
  const path = window.location.pathname;
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Re-renders on pushState/replaceState made through navigate() and on back/forward. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === currentPath() && options.replace !== true) return;
  const changed = path !== currentPath();
  if (options.replace === true) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  // A new page starts at its top, as after a full load (back/forward restore their own position).
  if (changed) window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

/** A plain link that navigates without reloading; modified clicks (new tab…) stay native. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  }
  return <a href={href} onClick={handleClick} {...rest} />;
}

/** Sets the page title, e.g. "Rules · Integration Hub". */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Integration Hub`;
  }, [title]);
}
