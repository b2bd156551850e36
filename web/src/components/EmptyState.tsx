import type { ReactNode } from 'react';

/** What will appear on a page once there is something to show, and what it takes to get there. */
export function EmptyState({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      <div className="empty-state-icon" aria-hidden="true">
        {icon}
      </div>
      <h2 id="empty-state-title">{title}</h2>
      <div className="empty-state-body">{children}</div>
    </section>
  );
}
