import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/core/package-root.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * Source maps are not served publicly (issue 14, item 10): the web build emits none, and the
 * hub answers a JSON 404 to any `*.map` path instead of the app's page. Needs the built web app
 * (`npm run build:web`; `npm test` builds it first).
 */
const webRoot = path.join(packageRoot(), 'dist', 'web');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

describe.each(testDialects())('source maps on %s', (dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(dialect);
  });
  afterAll(async () => hub?.close());

  it('the web build ships no source map', () => {
    expect(filesUnder(webRoot).filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(readFileSync(path.join(webRoot, 'index.html'), 'utf8')).not.toContain('sourceMappingURL');
  });

  it('GET /assets/<script>.js.map answers a JSON 404, while the script itself is served', async () => {
    const html = await (await fetch(`${hub.url}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    for (const accept of ['*/*', 'text/html', 'application/json']) {
      for (const mapPath of [`${script}.map`, `${script}.MAP`, '/assets/anything.css.map', '/index.js.map']) {
        const response = await fetch(`${hub.url}${mapPath}`, { headers: { accept } });
        expect(response.status, `${mapPath} (${accept})`).toBe(404);
        expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      }
    }
    const served = await fetch(`${hub.url}${script}`);
    expect(served.status).toBe(200);
    expect((await served.text()).includes('sourceMappingURL'), 'the script names a source map').toBe(false);
  });
});
