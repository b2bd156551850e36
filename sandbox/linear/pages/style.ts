import type { FastifyInstance } from 'fastify';

/** The pages' only stylesheet, served from /static/ (the request log skips static assets). */
const CSS = `
:root { --ink: #1f2023; --muted: #6b6f76; --line: #e6e6e9; --accent: #5e6ad2; --bg: #f7f8f9; --danger: #c9372c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.top { display: flex; gap: 24px; align-items: center; padding: 10px 24px; background: #fff; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; color: var(--ink); }
.brand span { font-weight: 400; color: var(--muted); }
.top nav { display: flex; gap: 16px; flex-wrap: wrap; }
.top nav a.current { font-weight: 600; color: var(--ink); }
.who { margin-left: auto; color: var(--muted); }
main { max-width: 1040px; margin: 24px auto; padding: 0 24px; }
h1 { font-size: 20px; margin: 0 0 16px; }
h2 { font-size: 15px; margin: 24px 0 8px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
.card > h2:first-child { margin-top: 0; }
.narrow { max-width: 520px; margin: 40px auto; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
td:first-child { white-space: nowrap; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.muted { color: var(--muted); }
.pill { display: inline-block; padding: 0 8px; border: 1px solid var(--line); border-radius: 999px; font-size: 12px; margin-right: 4px; }
.error { color: var(--danger); background: #fdeceb; border: 1px solid #f5c2bd; padding: 8px 12px; border-radius: 6px; }
.notice { background: #eef0fd; border: 1px solid #d3d7fa; padding: 8px 12px; border-radius: 6px; }
form.stack { display: grid; gap: 10px; }
form.inline, .inline { display: flex; gap: 8px; align-items: end; flex-wrap: wrap; }
label { display: grid; gap: 4px; font-weight: 600; font-size: 12px; color: var(--muted); }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
fieldset label { display: inline-flex; gap: 6px; font-weight: 400; color: var(--ink); margin-right: 12px; }
input[type=text], textarea, select { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
textarea { min-height: 70px; }
button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--ink); border-color: var(--line); }
.actions { display: flex; gap: 10px; margin-top: 8px; }
ul.scopes { padding-left: 20px; }
.comment { border-top: 1px solid var(--line); padding: 8px 0; }
.comment:first-child { border-top: 0; }
`;

export function registerStyle(app: FastifyInstance): void {
  app.get('/static/linear.css', async (_request, reply) =>
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'no-cache').send(CSS),
  );
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
}
