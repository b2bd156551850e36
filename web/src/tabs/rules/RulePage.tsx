import { useCallback, useEffect, useId, useState } from 'react';
import { ApiRequestError, api, type RuleHistoryEntry, type RulesResponse, type RuleView } from '../../api/client.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Link, navigate } from '../../routing.js';
import { BlockedNotice } from './BlockedNotice.js';
import { setFlash } from './flash.js';
import { draftFromRule, newDraft, type RuleDraft } from './rule-draft.js';
import { RuleForm } from './RuleForm.js';
import { RuleHistory } from './RuleHistory.js';
import { RuleStatusDetail } from './RuleStatus.js';
import { RULE_BADGES } from './rule-words.js';

interface Props {
  isAdmin: boolean;
  /** The rule shown and edited; undefined for a new rule. */
  ruleId: string | undefined;
  /** A new rule prefilled from this one (Duplicate). */
  copyOf: string | undefined;
}

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | {
      kind: 'loaded';
      list: RulesResponse;
      rule: RuleView | undefined;
      history: RuleHistoryEntry[];
      initial: RuleDraft;
    };

/** /rules/new and /rules/<id>: the form (read-only for viewers and while blocked), Test rule and the history. */
export function RulePage({ isAdmin, ruleId, copyOf }: Props) {
  const blockedId = useId();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  const reload = useCallback(async (): Promise<void> => {
    setLoad({ kind: 'loading' });
    try {
      const shown = ruleId ?? copyOf;
      const [list, detail] = await Promise.all([api.rules(), shown === undefined ? undefined : api.rule(shown)]);
      const onlyTeam = list.checklist.teamWebhooks.length === 1 ? list.checklist.teamWebhooks[0]?.id : undefined;
      const initial =
        detail === undefined ? newDraft(onlyTeam) : draftFromRule(detail.rule, ruleId === undefined ? `Copy of ${detail.rule.name}` : detail.rule.name);
      setLoad({
        kind: 'loaded',
        list,
        rule: ruleId === undefined ? undefined : detail?.rule,
        history: ruleId === undefined ? [] : (detail?.history ?? []),
        initial,
      });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setLoad({ kind: 'failed', message: caught.message });
    }
  }, [ruleId, copyOf]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const rule = load.kind === 'loaded' ? load.rule : undefined;
  const title = ruleId === undefined ? (copyOf === undefined ? 'Create rule' : 'Duplicate rule') : (rule?.name ?? 'Rule');

  function saved(changed: RuleView): void {
    setFlash(ruleId === undefined ? `Created ${changed.name}.` : `Saved ${changed.name}.`);
    navigate('/rules');
  }

  return (
    <>
      <p className="back-link">
        <Link href="/rules">← All rules</Link>
      </p>
      <PageHeader title={title}>
        {ruleId === undefined
          ? 'Which Linear issues page which PagerDuty service, and how the two stay in step.'
          : 'What this rule pages, and its history. Test rule shows what it would do with the team’s recent issues.'}
      </PageHeader>
      {load.kind === 'loading' && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {load.kind === 'failed' && <LoadFailed message={load.message} onRetry={() => void reload()} />}
      {load.kind === 'loaded' && (
        <>
          {rule !== undefined && (
            <div className="rule-page-status">
              <StatusBadge {...RULE_BADGES[rule.status]} />
              <span className="muted">{rule.enabled ? 'Enabled' : 'Disabled'} · number {rule.position} in the order</span>
              <RuleStatusDetail rule={rule} />
            </div>
          )}
          {isAdmin && load.list.blockedBy !== null && <BlockedNotice blockedBy={load.list.blockedBy} id={blockedId} />}
          {!isAdmin && <p className="readonly-note">Only admins can change rules.</p>}
          {/* A new rule cannot be started while blocked; a saved one is shown, read-only. */}
          {(ruleId !== undefined || load.list.blockedBy === null) && (
            <RuleForm
              key={rule?.version ?? 'new'}
              initial={load.initial}
              rule={rule}
              teamWebhooks={load.list.checklist.teamWebhooks}
              editable={isAdmin && load.list.blockedBy === null}
              onSaved={saved}
              onReload={() => void reload()}
            />
          )}
          {rule !== undefined && <RuleHistory history={load.history} />}
        </>
      )}
    </>
  );
}
