import { useEffect, useId, useRef, type KeyboardEvent } from 'react';

interface Props {
  name: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * The confirm step of Disconnect, inside the card. Focus moves to Cancel (the safe choice)
 * when it opens; Escape cancels.
 */
export function DisconnectConfirm({ name, busy, onConfirm, onCancel }: Props) {
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
        <strong>Disconnect {name}?</strong> The hub erases its tokens, deletes the webhooks it created, and pauses rules;
        history is kept.
      </p>
      <div className="card-actions">
        <button type="button" className="button button-danger" disabled={busy} onClick={onConfirm}>
          {busy ? 'Disconnecting…' : 'Disconnect'}
        </button>
        <button ref={cancel} type="button" className="button button-secondary" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
