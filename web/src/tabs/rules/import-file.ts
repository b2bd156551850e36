import type { ApiRequestError } from '../../api/client.js';

/** A file's text as JSON, or a sentence saying why it is not. */
export async function readJsonFile(file: File): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await file.text();
  } catch {
    return { ok: false, message: `Could not read ${file.name}.` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: `${file.name} is not JSON. Choose a file made by Export.` };
  }
}

/** The hub's 400 details as "rules.2.routing.service: no service has this name" lines. */
export function importProblems(caught: ApiRequestError): string[] {
  const details = Array.isArray(caught.details) ? (caught.details as unknown[]) : [];
  const lines = details.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const { path, message } = item as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    const where = Array.isArray(path) ? path.map(String).join('.') : typeof path === 'string' ? path : '';
    return [where === '' ? message : `${describePath(where)}: ${message}`];
  });
  return lines;
}

/** "document.rules.2.routing.service" → "Rule 3, routing.service" (people count from 1). */
function describePath(path: string): string {
  const match = /^(?:document\.)?rules\.(\d+)(?:\.(.+))?$/.exec(path);
  if (match === null) return path;
  const rule = `Rule ${Number(match[1]) + 1}`;
  return match[2] === undefined ? rule : `${rule}, ${match[2]}`;
}

/** Saves `text` as a download named `filename`. */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled: some browsers read the URL asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
