import http from 'node:http';
import https from 'node:https';

export interface PostResult {
  /** The HTTP status, when a response arrived in time. */
  status?: number;
  /** Why no status: "timeout after 5000 ms", a connection error message, or "aborted". */
  error?: string;
  durationMs: number;
}

/**
 * POSTs `body` to `url` on a fresh connection (no keep-alive, so receivers close cleanly),
 * and resolves when the response head arrives, the timeout fires, or `signal` aborts.
 * Never rejects.
 */
export function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({ ...result, durationMs: elapsed() });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ error: `invalid URL: ${url}`, durationMs: 0 });
      return;
    }
    const send = target.protocol === 'https:' ? https.request : http.request;
    const bytes = Buffer.from(body, 'utf8');
    const request = send(target, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'Content-Length': String(bytes.length), Connection: 'close' },
    });
    const timer = setTimeout(() => {
      finish({ error: `timeout after ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    const onAbort = () => {
      finish({ error: 'aborted' });
      request.destroy();
    };
    signal.addEventListener('abort', onAbort);
    request.on('response', (response) => {
      finish({ status: response.statusCode ?? 0 });
      response.resume();
    });
    request.on('error', (error) => finish({ error: error.message || String(error) }));
    request.end(bytes);
  });
}
