import { useRef, useState } from 'react';
import { ApiRequestError, api, type RuleView } from '../../api/client.js';
import { Notice } from '../../components/Notice.js';
import { RuleRow } from './RuleRow.js';

interface Props {
  rules: RuleView[];
  isAdmin: boolean;
  /** Id of the text saying why rules cannot be edited now, if so. */
  blockedId: string | undefined;
  /** Something changed: show `changed` now (when known) and reload the list. */
  onChanged: (changed?: RuleView[]) => Promise<void>;
}

/**
 * The rules in evaluation order. Move up / Move down send the whole new order (POST
 * /api/rules/reorder); focus stays on the moved rule's button, or its heading at either end.
 */
export function RuleList({ rules, isAdmin, blockedId, onChanged }: Props) {
  const list = useRef<HTMLOListElement>(null);
  const [moving, setMoving] = useState<string>();
  const [moveError, setMoveError] = useState<string>();

  async function move(rule: RuleView, by: -1 | 1): Promise<void> {
    const order = rules.map((item) => item.id);
    const from = order.indexOf(rule.id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= order.length || moving !== undefined) return;
    order.splice(from, 1);
    order.splice(to, 0, rule.id);
    setMoving(rule.id);
    setMoveError(undefined);
    try {
      const { rules: reordered } = await api.reorderRules(order);
      await onChanged(reordered);
      refocus(rule.id, by, to === 0 || to === order.length - 1);
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setMoveError(`Could not move ${rule.name}: ${caught.message}`);
      // rules_changed: someone added or removed a rule meanwhile.
      if (caught.status === 409) await onChanged();
    } finally {
      setMoving(undefined);
    }
  }

  function refocus(ruleId: string, by: -1 | 1, atEnd: boolean): void {
    const rows = [...(list.current?.querySelectorAll<HTMLElement>('[data-rule-id]') ?? [])];
    const row = rows.find((element) => element.dataset.ruleId === ruleId);
    const target = atEnd ? row?.querySelector<HTMLElement>('h3') : row?.querySelector<HTMLElement>(`[data-move="${by}"]`);
    target?.focus();
  }

  return (
    <>
      {moveError !== undefined && <Notice kind="error">{moveError}</Notice>}
      <ol ref={list} className="rule-list" aria-label="Rules in evaluation order">
        {rules.map((rule, index) => (
          <RuleRow
            key={rule.id}
            rule={rule}
            first={index === 0}
            last={index === rules.length - 1}
            isAdmin={isAdmin}
            blockedId={blockedId}
            moving={moving !== undefined}
            onMove={(by) => void move(rule, by)}
            onChanged={onChanged}
          />
        ))}
      </ol>
    </>
  );
}
