import type { RuleView } from '../../api/client.js';

interface Props {
  rule: RuleView;
  busy: boolean;
  /** Id of the text saying why rules cannot be enabled now, if so (disabling is always allowed). */
  blockedId: string | undefined;
  onChange: (enabled: boolean) => void;
}

/** The rule's on/off switch (role="switch"; its name says which rule). */
export function EnabledSwitch({ rule, busy, blockedId, onChange }: Props) {
  const cannotEnable = blockedId !== undefined && !rule.enabled;
  return (
    <label className="toggle rule-switch">
      <input
        type="checkbox"
        role="switch"
        checked={rule.enabled}
        disabled={cannotEnable}
        aria-busy={busy || undefined}
        aria-describedby={cannotEnable ? blockedId : undefined}
        onChange={(event) => {
          if (!busy) onChange(event.target.checked);
        }}
      />
      Enabled<span className="visually-hidden"> {rule.name}</span>
    </label>
  );
}
