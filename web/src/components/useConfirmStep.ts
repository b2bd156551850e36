import { useEffect, useRef, useState } from 'react';

/**
 * Whether a destructive action's confirm step (ConfirmStep) is open. Put `trigger` on the
 * button that opens it: Cancel gives focus back to that button. `close` (after the action
 * succeeded, when the button may be gone) leaves focus to the caller.
 */
export function useConfirmStep() {
  const [confirming, setConfirming] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (confirming || !returnFocus.current) return;
    returnFocus.current = false;
    trigger.current?.focus();
  }, [confirming]);

  return {
    confirming,
    trigger,
    open: () => setConfirming(true),
    close: () => setConfirming(false),
    cancel: () => {
      returnFocus.current = true;
      setConfirming(false);
    },
  };
}
