import { Notice } from '../../components/Notice.js';
import type { CardNotice } from './notices.js';

/** A card's notices, newest outcome first; errors are announced as alerts. */
export function CardNotices({ notices }: { notices: readonly CardNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <div className="card-notices">
      {notices.map((notice, index) => (
        <Notice key={`${index}-${notice.message}`} kind={notice.kind}>
          <p>{notice.message}</p>
          {notice.items !== undefined && notice.items.length > 0 && (
            <ul className="notice-list">
              {notice.items.map((item, itemIndex) => (
                <li key={`${itemIndex}-${item}`}>{item}</li>
              ))}
            </ul>
          )}
        </Notice>
      ))}
    </div>
  );
}
