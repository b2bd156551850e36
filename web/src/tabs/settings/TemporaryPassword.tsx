import { useEffect, useRef } from 'react';
import { CopyableText } from '../../components/CopyableText.js';

/**
 * The temporary password of a reset, shown this once: the hub keeps only its hash and the
 * page forgets it on Done (or on the next action). Focus moves here so it is read out.
 */
export function TemporaryPassword({ name, password, onDone }: { name: string; password: string; onDone: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div ref={box} className="notice notice-info temporary-password" role="status" tabIndex={-1} aria-label={`Temporary password for ${name}`}>
      <p>
        <strong>Temporary password for {name}.</strong> It is shown only this once: give it to them securely. They choose a new
        password when they log in with it.
      </p>
      <CopyableText text={password} label="temporary password" />
      <div>
        <button type="button" className="button button-secondary button-small" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
