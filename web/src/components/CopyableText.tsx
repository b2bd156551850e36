import { useEffect, useRef, useState } from 'react';

function clipboard(): Clipboard | undefined {
  // Missing outside secure contexts (a hub reached over plain http on another host) and in tests.
  return typeof navigator === 'undefined' ? undefined : navigator.clipboard;
}

/**
 * A value people paste elsewhere (a delivery URL): monospace, selected whole by one click, and
 * a Copy button where the browser allows it.
 */
export function CopyableText({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const board = clipboard();

  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy(): Promise<void> {
    if (board === undefined) return;
    try {
      await board.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(undefined), 2500);
  }

  return (
    <span className="copyable">
      <code className="copyable-text">{text}</code>
      {board !== undefined && (
        <button type="button" className="button button-secondary button-small" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
          <span className="visually-hidden"> {label}</span>
        </button>
      )}
      <span className="visually-hidden" role="status">
        {copied === 'yes' ? `${label} copied.` : copied === 'failed' ? `Could not copy the ${label}: select it and copy it by hand.` : ''}
      </span>
    </span>
  );
}
