import { useCallback, useEffect, useId, useState } from 'react';
import { ApiRequestError, api, type RulesResponse, type RuleView } from '../../api/client.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RuleIcon } from '../../components/Icons.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { navigate } from '../../routing.js';
import { BlockedNotice } from './BlockedNotice.js';
import { Checklist, checklistComplete } from './Checklist.js';
import { clearFlash, peekFlash } from './flash.js';
import { ImportExport } from './ImportExport.js';
import { RuleList } from './RuleList.js';

type Load = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; data: RulesResponse };

/** The list with `changed` rules put in place (an action answered them). */
function patched(data: RulesResponse, changed: RuleView[]): RulesResponse {
  return { ...data, rules: data.rules.map((rule) => changed.find((item) => item.id === rule.id) ?? rule) };
}

/** /rules: the checklist, Create Rule, Export and Import, and the rules in evaluation order. */
export function RulesOverview({ isAdmin }: { isAdmin: boolean }) {
  const blockedId = useId();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [flash] = useState(peekFlash);
  useEffect(clearFlash, []);

  const reload = useCallback(async (changed?: RuleView[]): Promise<void> => {
    if (changed !== undefined) setLoad((previous) => (previous.kind === 'loaded' ? { kind: 'loaded', data: patched(previous.data, changed) } : previous));
    try {
      const data = await api.rules();
      setLoad({ kind: 'loaded', data });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setLoad((previous) => (previous.kind === 'loaded' ? previous : { kind: 'failed', message: caught.message }));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const data = load.kind === 'loaded' ? load.data : undefined;
  const blocked = data?.blockedBy !== null && data?.blockedBy !== undefined;
  const createButton = isAdmin && data !== undefined && (
    <button
      type="button"
      className="button button-primary"
      disabled={blocked}
      aria-describedby={blocked ? blockedId : undefined}
      onClick={() => navigate('/rules/new')}
    >
      Create Rule
    </button>
  );

  return (
    <>
      <PageHeader title="Rules">
        Rules decide which Linear issues page someone in PagerDuty. For each issue the hub tries the rules of its team
        from the top; the first enabled rule whose filters all match pages its service.
      </PageHeader>
      {flash !== undefined && <Notice kind="success">{flash}</Notice>}
      {load.kind === 'loading' && (
        <p className="muted" role="status">
          Loading rules…
        </p>
      )}
      {load.kind === 'failed' && <LoadFailed message={load.message} onRetry={() => void reload()} />}
      {data !== undefined && (
        <>
          {data.blockedBy !== null && <BlockedNotice blockedBy={data.blockedBy} id={blockedId} />}
          {!isAdmin && <p className="readonly-note">Only admins can create and change rules.</p>}
          <ImportExport
            isAdmin={isAdmin}
            hasRules={data.rules.length > 0}
            leading={data.rules.length > 0 ? createButton : null}
            onImported={() => reload()}
          />
          {data.rules.length === 0 ? (
            <EmptyState icon={<RuleIcon />} title="No rules yet">
              <p>
                A rule pages a PagerDuty service when a Linear issue matches its filters — team, priority, status type, and
                optionally projects and labels — with the urgency you choose. When the incident is acknowledged or
                resolved, the issue moves to the status you pick, and comments and notes are mirrored both ways.
              </p>
              <Checklist checklist={data.checklist} />
              {createButton}
            </EmptyState>
          ) : (
            <>
              {!checklistComplete(data.checklist) && (
                <section className="card section" aria-label="Before you can create a rule">
                  <Checklist checklist={data.checklist} />
                </section>
              )}
              <RuleList rules={data.rules} isAdmin={isAdmin} blockedId={blocked ? blockedId : undefined} onChanged={reload} />
            </>
          )}
        </>
      )}
    </>
  );
}
