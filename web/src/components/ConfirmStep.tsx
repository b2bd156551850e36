import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

interface Props {
  /** The question in bold, then what will happen. */
  question: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * The confirm step of a destructive action, shown in place of its button (as Disconnect does on
 * the Connections cards). Focus moves to Cancel, the safe choice, when it opens; Escape cancels.
 */
export function ConfirmStep({ question, children, confirmLabel, busyLabel, busy, onConfirm, onCancel }: Props) {
  const questionId = useId();
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    cancel.current?.focus();
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape' && !busy) {
      event.stopPropagation();
      onCancel();
    }
  }

  return (
    <div className="confirm" role="group" aria-labelledby={questionId} onKeyDown={onKeyDown}>
      <p id={questionId}>
        <strong>{question}</strong> {children}
      </p>
      <div className="card-actions">
        <button type="button" className="button button-danger" disabled={busy} onClick={onConfirm}>
          {busy ? busyLabel : confirmLabel}
        </button>
        <button ref={cancel} type="button" className="button button-secondary" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
