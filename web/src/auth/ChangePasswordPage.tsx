import { useState } from 'react';
import type { MetaResponse, SessionResponse } from '../api/client.js';
import { AuthFrame } from './AuthFrame.js';
import { ChangePasswordForm } from './ChangePasswordForm.js';

interface Props {
  meta: MetaResponse;
  session: SessionResponse;
  /** The new password is set: on into the app with the updated session. */
  onChanged: (session: SessionResponse) => void;
  onLogOut: () => Promise<string | undefined>;
}

/**
 * Shown instead of the app after logging in with a temporary password (an admin reset it):
 * until the user picks their own, the hub refuses everything else (403 password_change_required).
 */
export function ChangePasswordPage({ meta, session, onChanged, onLogOut }: Props) {
  const [problem, setProblem] = useState<string>();
  return (
    <AuthFrame
      meta={meta}
      title="Choose a new password"
      lead={`An admin reset the password of ${session.user.email}. Enter the temporary password you were given, then a new one only you know.`}
    >
      <ChangePasswordForm submitLabel="Set password and continue" onChanged={onChanged}>
        <button type="button" className="button button-secondary" onClick={() => void onLogOut().then(setProblem)}>
          Log out
        </button>
      </ChangePasswordForm>
      {problem !== undefined && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </AuthFrame>
  );
}
