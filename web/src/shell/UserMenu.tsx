import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SessionResponse } from '../api/client.js';
import { ChangePasswordForm } from '../auth/ChangePasswordForm.js';
import { ChevronDownIcon } from '../components/Icons.js';
import { Notice } from '../components/Notice.js';
import { roleLabel } from '../format.js';

interface Props {
  session: SessionResponse;
  onLogOut: () => Promise<string | undefined>;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter((part) => part !== '');
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => part?.[0]?.toUpperCase() ?? '').join('') || '?';
}

/**
 * A button with the user's name that opens a small non-modal dialog (who you are, your role
 * and organisation, Change password, Log out) and moves focus into it. Escape or a click
 * elsewhere closes it; Escape returns focus to the button. Change password turns the dialog
 * into the form (current, new, confirm); on success every other session of the user has ended.
 */
export function UserMenu({ session, onLogOut }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [changing, setChanging] = useState(false);
  const [changed, setChanged] = useState(false);
  const formHolder = useRef<HTMLDivElement>(null);
  const wasChanging = useRef(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const firstAction = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) {
      setChanging(false);
      setChanged(false);
      return undefined;
    }
    firstAction.current?.focus();
    const closeOnOutside = (event: PointerEvent | FocusEvent) => {
      if (event.target instanceof Node && root.current?.contains(event.target) !== true) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOnOutside);
    document.addEventListener('focusin', closeOnOutside);
    return () => {
      document.removeEventListener('pointerdown', closeOnOutside);
      document.removeEventListener('focusin', closeOnOutside);
    };
  }, [open]);

  // Into the form when it opens; back to its button when it closes (Cancel or done).
  useEffect(() => {
    if (changing) formHolder.current?.querySelector('input')?.focus();
    else if (wasChanging.current) firstAction.current?.focus();
    wasChanging.current = changing;
  }, [changing]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    }
  }

  async function logOut(): Promise<void> {
    setBusy(true);
    setError(undefined);
    const problem = await onLogOut();
    // On success this component is gone; only a failure comes back here.
    if (problem !== undefined) {
      setError(problem);
      setBusy(false);
    }
  }

  const { user, organisation } = session;
  return (
    <div className="user-menu" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className="user-menu-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(user.name)}
        </span>
        <span className="user-menu-name">{user.name}</span>
        <ChevronDownIcon />
      </button>
      <div id={panelId} className="user-menu-panel" role="dialog" aria-label="Your account" hidden={!open}>
        <div className="user-menu-who">
          <p className="user-menu-fullname">{user.name}</p>
          <p className="user-menu-email">{user.email}</p>
        </div>
        <dl className="user-menu-facts">
          <div>
            <dt>Role</dt>
            <dd>{roleLabel(user.role)}</dd>
          </div>
          <div>
            <dt>Organisation</dt>
            <dd>{organisation.name}</dd>
          </div>
        </dl>
        {error !== undefined && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        {changed && <Notice kind="success">Password changed. Your other sessions have ended.</Notice>}
        {changing ? (
          <div ref={formHolder}>
            <ChangePasswordForm
              submitLabel="Change password"
              onChanged={() => {
                setChanging(false);
                setChanged(true);
              }}
            >
              <button type="button" className="button button-secondary" onClick={() => setChanging(false)}>
                Cancel
              </button>
            </ChangePasswordForm>
          </div>
        ) : (
          <button
            ref={firstAction}
            type="button"
            className="button button-secondary button-block"
            onClick={() => {
              setChanged(false);
              setChanging(true);
            }}
          >
            Change password
          </button>
        )}
        <button type="button" className="button button-secondary button-block" disabled={busy} onClick={() => void logOut()}>
          {busy ? 'Logging out…' : 'Log out'}
        </button>
      </div>
    </div>
  );
}
