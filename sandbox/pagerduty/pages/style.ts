/** The stylesheet of the stand-in's pages, served at /static/pagerduty.css (no inline styles). */
export const STYLESHEET_PATH = '/static/pagerduty.css';

export const STYLESHEET = `
:root { --green: #048a24; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --red: #c9252d; --amber: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header { background: #04323d; color: #fff; padding: .75rem 1.5rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header .brand { font-weight: 700; font-size: 1.1rem; }
header .tag { background: var(--green); border-radius: 4px; padding: 0 .4rem; font-size: .75rem; text-transform: uppercase; }
header form { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
main { max-width: 980px; margin: 1.5rem auto; padding: 0 1rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.card h2 { margin: 0 0 .5rem; font-size: 1.05rem; }
.muted { color: var(--muted); }
header .muted { color: #c9d1d9; }
.error { background: #ffebe9; border: 1px solid #ff8182; color: var(--red); padding: .5rem .75rem; border-radius: 6px; }
.notice { background: #ddf4ff; border: 1px solid #54aeff; padding: .5rem .75rem; border-radius: 6px; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
select, input[type=text], textarea { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
textarea { width: 100%; min-height: 3.5rem; }
button { font: inherit; border: 1px solid var(--line); border-radius: 6px; padding: .35rem .9rem; background: #fff; cursor: pointer; }
button.primary { background: var(--green); border-color: var(--green); color: #fff; font-weight: 600; }
button.danger { color: var(--red); }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: flex-start; margin-top: .5rem; }
.actions form { margin: 0; }
ul.scopes { padding-left: 1.2rem; }
.incident { border-top: 1px solid var(--line); padding: .75rem 0; }
.incident:first-of-type { border-top: 0; }
.status { display: inline-block; font-size: .75rem; font-weight: 700; text-transform: uppercase; border-radius: 4px; padding: 0 .4rem; color: #fff; }
.status.triggered { background: var(--red); }
.status.acknowledged { background: var(--amber); }
.status.resolved { background: var(--green); }
.notes { margin: .5rem 0 0; padding-left: 1.2rem; color: var(--muted); }
.row { display: flex; gap: .75rem; flex-wrap: wrap; align-items: end; }
`;
