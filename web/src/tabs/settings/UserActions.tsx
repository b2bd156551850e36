import { useEffect, useId, useRef, useState } from 'react';
import type { UserView } from '../../api/client.js';
import { ConfirmStep } from '../../components/ConfirmStep.js';
import { useConfirmStep } from '../../components/useConfirmStep.js';

/** What an admin can do to another user (the hub's /api/users/:id/… endpoints). */
export type UserAction = 'deactivate' | 'reactivate' | 'reset' | 'endSessions' | 'remove';
type Confirmed = Exclude<UserAction, 'reactivate'>;

const STEPS: Record<Confirmed, { label: string; question: (name: string) => string; explain: string; busyLabel: string }> = {
  deactivate: {
    label: 'Deactivate',
    question: (name) => `Deactivate ${name}?`,
    explain: 'Their sessions end now and they cannot log in until an admin reactivates them. Nothing is deleted.',
    busyLabel: 'Deactivating…',
  },
  reset: {
    label: 'Reset password',
    question: (name) => `Reset the password of ${name}?`,
    explain: 'Their sessions end now. You get a temporary password to pass on, shown only once; they choose a new one when they log in.',
    busyLabel: 'Resetting…',
  },
  endSessions: {
    label: 'End sessions',
    question: (name) => `End every session of ${name}?`,
    explain: 'They are logged out everywhere now and can log in again.',
    busyLabel: 'Ending…',
  },
  remove: {
    label: 'Remove',
    question: (name) => `Remove ${name}?`,
    explain: 'They lose access for good and leave this list. To stop their access but keep them, deactivate them instead.',
    busyLabel: 'Removing…',
  },
};

interface Props {
  user: UserView;
  /** The action running on this user, if any. */
  busy: UserAction | undefined;
  /** Runs the action; true when it succeeded (the confirm step then closes). */
  onAction: (user: UserView, action: UserAction) => Promise<boolean>;
}

/**
 * An admin's actions on another user's row, behind a Manage button so the table stays compact.
 * Every action but Reactivate asks first, with the confirm step in place of the buttons (as
 * Disconnect does); Cancel gives focus back. After an action the list folds away again and
 * focus returns to Manage (but for a reset: its temporary password takes focus).
 */
export function UserActions({ user, busy, onAction }: Props) {
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  const manage = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  const steps: Record<Confirmed, ReturnType<typeof useConfirmStep>> = {
    deactivate: useConfirmStep(),
    reset: useConfirmStep(),
    endSessions: useConfirmStep(),
    remove: useConfirmStep(),
  };
  const open = (Object.keys(steps) as Confirmed[]).find((action) => steps[action].confirming);

  useEffect(() => {
    if (expanded || !refocus.current) return;
    refocus.current = false;
    manage.current?.focus();
  }, [expanded]);

  async function run(action: UserAction): Promise<void> {
    if (!(await onAction(user, action))) return;
    if (action !== 'reactivate') steps[action].close();
    // After a reset the temporary password takes focus instead (UsersSection shows it).
    refocus.current = action !== 'reset';
    setExpanded(false);
  }

  if (open !== undefined) {
    const step = STEPS[open];
    return (
      <ConfirmStep
        question={step.question(user.name)}
        confirmLabel={step.label}
        busyLabel={step.busyLabel}
        busy={busy === open}
        onConfirm={() => void run(open)}
        onCancel={steps[open].cancel}
      >
        {step.explain}
      </ConfirmStep>
    );
  }

  const active = user.status === 'active';
  const button = (action: Confirmed) => (
    <button ref={steps[action].trigger} type="button" className="button button-secondary button-small" disabled={busy !== undefined} onClick={steps[action].open}>
      {STEPS[action].label}
      <span className="visually-hidden"> {user.name}</span>
    </button>
  );
  const toggle = (
    <button
      ref={manage}
      type="button"
      className="button button-secondary button-small"
      aria-expanded={expanded}
      aria-controls={expanded ? listId : undefined}
      onClick={() => setExpanded((value) => !value)}
    >
      Manage
      <span className="visually-hidden"> {user.name}</span>
    </button>
  );
  return (
    <div className="user-actions">
      {toggle}
      {expanded && (
        <div id={listId} className="card-actions">
          {active ? (
            button('deactivate')
          ) : (
            <button type="button" className="button button-secondary button-small" disabled={busy !== undefined} onClick={() => void run('reactivate')}>
              {busy === 'reactivate' ? 'Reactivating…' : 'Reactivate'}
              <span className="visually-hidden"> {user.name}</span>
            </button>
          )}
          {button('reset')}
          {active && button('endSessions')}
          {button('remove')}
        </div>
      )}
    </div>
  );
}
