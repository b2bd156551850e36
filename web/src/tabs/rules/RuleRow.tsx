import { useId, useRef, useState } from 'react';
import { api, type RuleView } from '../../api/client.js';
import { ConfirmStep } from '../../components/ConfirmStep.js';
import { Notice } from '../../components/Notice.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { useConfirmStep } from '../../components/useConfirmStep.js';
import { useRowAction } from '../../components/useRowAction.js';
import { Link, navigate } from '../../routing.js';
import { DryRunResults } from './DryRunResults.js';
import { EnabledSwitch } from './EnabledSwitch.js';
import { RuleFacts } from './RuleFacts.js';
import { RuleStatusDetail } from './RuleStatus.js';
import { RULE_BADGES } from './rule-words.js';
import { useDryRun } from './useDryRun.js';

interface Props {
  rule: RuleView;
  first: boolean;
  last: boolean;
  isAdmin: boolean;
  blockedId: string | undefined;
  /** A move is running (one at a time). */
  moving: boolean;
  onMove: (by: -1 | 1) => void;
  onChanged: (changed?: RuleView[]) => Promise<void>;
}

type Action = 'enable' | 'disable' | 'resume' | 'delete';

/** One rule of the list: what it does, its status, its switch and an admin's actions; Test rule for everyone. */
export function RuleRow({ rule, first, last, isAdmin, blockedId, moving, onMove, onChanged }: Props) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; message: string }>();
  const { busy, run } = useRowAction<Action>((message) => setNotice({ kind: 'error', message }), () => onChanged());
  const confirm = useConfirmStep();
  const dryRun = useDryRun();
  const blocked = blockedId !== undefined;
  const name = <span className="visually-hidden"> {rule.name}</span>;

  function change(action: 'enable' | 'disable' | 'resume'): Promise<void> {
    setNotice(undefined);
    return run(action, async () => {
      const call = action === 'enable' ? api.enableRule : action === 'disable' ? api.disableRule : api.resumeRule;
      const { rule: changed } = await call(rule.id);
      if (action === 'resume') {
        setNotice({ kind: 'success', message: `Resumed: ${rule.name} pages again.` });
        heading.current?.focus();
      }
      await onChanged([changed]);
    });
  }

  function remove(): Promise<void> {
    return run('delete', async () => {
      await api.removeRule(rule.id);
      confirm.close();
      await onChanged();
    });
  }

  const small = 'button button-secondary button-small';
  return (
    <li className="rule-row" data-rule-id={rule.id} aria-labelledby={headingId}>
      <div className="rule-row-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          <span className="rule-position">{rule.position}.</span> <Link href={`/rules/${encodeURIComponent(rule.id)}`}>{rule.name}</Link>
        </h3>
        <StatusBadge {...RULE_BADGES[rule.status]} />
        {isAdmin ? (
          <EnabledSwitch rule={rule} busy={busy === 'enable' || busy === 'disable'} blockedId={blockedId} onChange={(on) => void change(on ? 'enable' : 'disable')} />
        ) : (
          <span className="muted">{rule.enabled ? 'Enabled' : 'Disabled'}</span>
        )}
      </div>
      <RuleStatusDetail rule={rule} />
      <RuleFacts rule={rule} />
      {notice !== undefined && <Notice kind={notice.kind}>{notice.message}</Notice>}
      {isAdmin && confirm.confirming ? (
        <ConfirmStep
          question={`Delete ${rule.name}?`}
          confirmLabel="Delete"
          busyLabel="Deleting…"
          busy={busy === 'delete'}
          onConfirm={() => void remove()}
          onCancel={confirm.cancel}
        >
          Issues it would page are left to the rules after it. Its service’s PagerDuty webhook subscription is removed when
          no other rule uses it.
        </ConfirmStep>
      ) : (
        <div className="card-actions">
          {isAdmin && (
            <>
              <button type="button" className={small} disabled={blocked} aria-describedby={blockedId} onClick={() => navigate(`/rules/${encodeURIComponent(rule.id)}`)}>
                Edit{name}
              </button>
              <button
                type="button"
                className={small}
                disabled={blocked}
                aria-describedby={blockedId}
                onClick={() => navigate(`/rules/new?copy=${encodeURIComponent(rule.id)}`)}
              >
                Duplicate{name}
              </button>
              <button ref={confirm.trigger} type="button" className={small} disabled={busy !== undefined} onClick={() => {
                setNotice(undefined);
                confirm.open();
              }}>
                Delete{name}
              </button>
              <button type="button" className={small} data-move="-1" disabled={first || moving} onClick={() => onMove(-1)}>
                Move up{name}
              </button>
              <button type="button" className={small} data-move="1" disabled={last || moving} onClick={() => onMove(1)}>
                Move down{name}
              </button>
              {rule.status === 'paused' && (
                <button type="button" className="button button-primary button-small" disabled={busy !== undefined} onClick={() => void change('resume')}>
                  {busy === 'resume' ? 'Resuming…' : 'Resume'}
                  {name}
                </button>
              )}
            </>
          )}
          <button
            type="button"
            className={small}
            disabled={dryRun.state.kind === 'running'}
            onClick={() => void dryRun.run(() => api.testRule(rule.id))}
          >
            {dryRun.state.kind === 'running' ? 'Testing…' : 'Test rule'}
            {name}
          </button>
          {(dryRun.state.kind === 'done' || dryRun.state.kind === 'failed') && (
            <button type="button" className="button-link" onClick={dryRun.reset}>
              Hide test results{name}
            </button>
          )}
        </div>
      )}
      {dryRun.state.kind === 'failed' && <Notice kind="error">Could not test {rule.name}: {dryRun.state.message}</Notice>}
      {dryRun.state.kind === 'done' && <DryRunResults result={dryRun.state.result} heading={`Test of ${rule.name}`} />}
    </li>
  );
}
