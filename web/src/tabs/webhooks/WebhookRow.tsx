import { useId, type ReactNode, type RefObject } from 'react';
import { Notice } from '../../components/Notice.js';
import { StatusBadge, type BadgeInfo } from '../../components/StatusBadge.js';
import type { RowNotice } from './statuses.js';

interface Props {
  title: ReactNode;
  /** The heading takes focus when an action removed the button that had it. */
  headingRef: RefObject<HTMLHeadingElement | null>;
  badge: BadgeInfo;
  notice: RowNotice | undefined;
  /** Why the status is what it is, when it needs explaining. */
  detail: string | null;
  /** The webhook's facts, then the admin's actions. */
  children: ReactNode;
}

/** One webhook or subscription in a list: its heading and status, the outcome of the last click, and why. */
export function WebhookRow({ title, headingRef, badge, notice, detail, children }: Props) {
  const headingId = useId();
  return (
    <li className="webhook-row" aria-labelledby={headingId}>
      <div className="webhook-row-head">
        <h3 id={headingId} ref={headingRef} tabIndex={-1}>
          {title}
        </h3>
        <StatusBadge {...badge} />
      </div>
      {notice !== undefined && (
        <Notice kind={notice.kind}>
          <p>{notice.message}</p>
        </Notice>
      )}
      {detail !== null && <p className="webhook-detail">{detail}</p>}
      {children}
    </li>
  );
}
