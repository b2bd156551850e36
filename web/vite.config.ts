import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The web app is plain React compiled by Vite's built-in (oxc) JSX transform; the hub serves
// the output from dist/web. `npm run dev:web` is not needed: tests and users use the build.
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // No source maps in dist/web: the hub would otherwise serve its sources to anyone (and
    // refuses *.map anyway, src/http/plugins/web-app.ts).
    sourcemap: false,
  },
});
