import type { ReactNode } from 'react';
import { useDocumentTitle } from '../routing.js';

/**
 * The page's one h1 (focused by the layout after client-side navigation, hence tabIndex -1)
 * and a sentence saying what the page is for. Also sets the document title.
 */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="page-header">
      <h1 id="page-heading" tabIndex={-1}>
        {title}
      </h1>
      {children !== undefined && <p className="page-lead">{children}</p>}
    </div>
  );
}
