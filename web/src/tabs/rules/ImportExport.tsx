import { useId, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { ApiRequestError, api, type ImportResponse, type RulesDocument } from '../../api/client.js';
import { Notice } from '../../components/Notice.js';
import { download, importProblems, readJsonFile } from './import-file.js';
import { ImportPlan } from './ImportPlan.js';

interface Props {
  isAdmin: boolean;
  hasRules: boolean;
  /** Buttons before Export and Import (Create Rule). */
  leading?: ReactNode;
  onImported: () => Promise<void>;
}

type Step =
  | { kind: 'closed' }
  | { kind: 'choosing'; busy: boolean; message?: string | undefined; problems?: string[] | undefined }
  | { kind: 'planned'; document: RulesDocument; plan: ImportResponse['plan']; fileName: string; applying: boolean; message?: string | undefined };

/**
 * Config as code: Export downloads every rule as rules.json; Import reads such a file, shows what
 * it would create and change (the hub's dry run, apply: false) or why it cannot, and applies it
 * all or nothing on Apply import.
 */
export function ImportExport({ isAdmin, hasRules, leading, onImported }: Props) {
  const fileId = useId();
  const [step, setStep] = useState<Step>({ kind: 'closed' });
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; message: string }>();
  const [exporting, setExporting] = useState(false);
  const importButton = useRef<HTMLButtonElement>(null);

  async function exportRules(): Promise<void> {
    setStatus(undefined);
    setExporting(true);
    try {
      const document = await api.exportRules();
      download('rules.json', `${JSON.stringify(document, null, 2)}\n`);
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      setStatus({ kind: 'error', message: `Could not export the rules: ${caught.message}` });
    } finally {
      setExporting(false);
    }
  }

  async function chosen(event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const file = event.target.files?.[0];
    if (file === undefined) return;
    setStep({ kind: 'choosing', busy: true });
    const read = await readJsonFile(file);
    if (!read.ok) {
      setStep({ kind: 'choosing', busy: false, message: read.message });
      return;
    }
    const document = read.value as RulesDocument;
    try {
      const { plan } = await api.importRules({ document, apply: false });
      setStep({ kind: 'planned', document, plan, fileName: file.name, applying: false });
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      const problems = importProblems(caught);
      setStep({ kind: 'choosing', busy: false, message: `${file.name} cannot be imported: ${caught.message}`, problems });
    }
  }

  async function apply(document: RulesDocument): Promise<void> {
    if (step.kind !== 'planned') return;
    setStep({ ...step, applying: true, message: undefined });
    try {
      const { plan } = await api.importRules({ document, apply: true });
      const created = plan.filter((entry) => entry.action === 'create').length;
      const updated = plan.filter((entry) => entry.action === 'update').length;
      setStep({ kind: 'closed' });
      setStatus({ kind: 'success', message: `Imported ${step.fileName}: ${created} created, ${updated} updated.` });
      await onImported();
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      // Nothing was written (the import is one transaction): say why, keep the plan to retry.
      const problems = importProblems(caught);
      const message = [caught.message, ...problems].join(' ');
      setStep({ ...step, applying: false, message: `Nothing was imported: ${message}` });
    }
  }

  function close(): void {
    setStep({ kind: 'closed' });
    importButton.current?.focus();
  }

  return (
    <>
      <div className="toolbar">
        <div className="card-actions">{leading}</div>
        <div className="card-actions">
          {hasRules && (
            <button type="button" className="button button-secondary button-small" disabled={exporting} onClick={() => void exportRules()}>
              {exporting ? 'Exporting…' : 'Export'}
              <span className="visually-hidden"> rules as JSON</span>
            </button>
          )}
          {isAdmin && (
            <button
              ref={importButton}
              type="button"
              className="button button-secondary button-small"
              aria-expanded={step.kind !== 'closed'}
              onClick={() => {
                setStatus(undefined);
                setStep(step.kind === 'closed' ? { kind: 'choosing', busy: false } : { kind: 'closed' });
              }}
            >
              Import<span className="visually-hidden"> rules from JSON</span>
            </button>
          )}
        </div>
      </div>
      {status !== undefined && <Notice kind={status.kind}>{status.message}</Notice>}
      {step.kind !== 'closed' && (
        <section className="card section" aria-labelledby="import-heading">
          <div className="section-head">
            <h2 id="import-heading">Import rules</h2>
            <p className="muted">
              Choose a file made by Export (here or in another hub). Teams, states, projects, labels and services are found
              by id, then by name. You see what would change before anything is saved; rules not in the file stay as they
              are.
            </p>
          </div>
          {step.kind === 'choosing' && (
            <>
              <div className="field">
                <label htmlFor={fileId}>Rules file</label>
                <input id={fileId} type="file" accept="application/json,.json" disabled={step.busy} onChange={(event) => void chosen(event)} />
              </div>
              {step.busy && (
                <p className="muted" role="status">
                  Checking the file…
                </p>
              )}
              {step.message !== undefined && (
                <Notice kind="error">
                  <p>{step.message}</p>
                  {step.problems !== undefined && step.problems.length > 0 && (
                    <ul className="notice-list">
                      {step.problems.map((problem) => (
                        <li key={problem}>{problem}</li>
                      ))}
                    </ul>
                  )}
                </Notice>
              )}
            </>
          )}
          {step.kind === 'planned' && (
            <>
              <ImportPlan plan={step.plan} fileName={step.fileName} />
              {step.message !== undefined && <Notice kind="error">{step.message}</Notice>}
            </>
          )}
          <div className="card-actions">
            {step.kind === 'planned' && (
              <button
                type="button"
                className="button button-primary"
                disabled={step.applying || step.plan.every((entry) => entry.action === 'unchanged')}
                onClick={() => void apply(step.document)}
              >
                {step.applying ? 'Applying…' : 'Apply import'}
              </button>
            )}
            <button type="button" className="button button-secondary" onClick={close}>
              Cancel
            </button>
          </div>
        </section>
      )}
    </>
  );
}
