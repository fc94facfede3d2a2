/**
 * The portal's one stylesheet, served from `/portal/static/portal.css` so the CSP needs no
 * inline styles. Colours pass WCAG AA contrast on their backgrounds; every control shows a
 * visible focus ring; the layout is one column on a phone.
 */
export const PORTAL_CSS = `
:root { --ink: #16202b; --muted: #44505c; --line: #c9d1d9; --bg: #f6f8fa; --card: #ffffff;
  --brand: #0b5cab; --brand-ink: #ffffff; --danger: #a4161a; --ok: #1b6e36; --warn: #7a4d00; --focus: #ffbf47; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--brand); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--ink); }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: var(--card); padding: 8px; z-index: 2; }
header.top { background: var(--ink); color: #fff; padding: 12px 16px; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; }
header.top a { color: #fff; font-weight: 600; text-decoration: none; }
header.top nav { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
header.top nav a { text-decoration: underline; font-weight: 400; }
header.top form { margin: 0; }
main { max-width: 960px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.6rem; margin: 8px 0 16px; } h2 { font-size: 1.25rem; margin-top: 24px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 12px 0; }
.muted { color: var(--muted); }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
.hint { color: var(--muted); font-size: .9rem; margin: 2px 0 6px; }
input[type=text], input[type=password], input[type=url], textarea, select { width: 100%; padding: 10px; font: inherit; border: 1px solid #6a737d; border-radius: 6px; background: #fff; color: var(--ink); }
textarea { min-height: 5rem; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; padding: 8px 12px; }
legend { font-weight: 600; }
.check { display: flex; gap: 8px; align-items: flex-start; font-weight: 400; }
.check input { margin-top: 5px; }
button, .button { display: inline-block; min-height: 44px; padding: 10px 16px; font: inherit; font-weight: 600; border-radius: 6px; border: 1px solid var(--brand); background: var(--brand); color: var(--brand-ink); cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--brand); }
button.danger, .button.danger { background: var(--danger); border-color: var(--danger); color: var(--brand-ink); }
header.top button { background: transparent; border-color: #fff; color: #fff; min-height: 36px; padding: 4px 12px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
.actions form { margin: 0; }
table { width: 100%; border-collapse: collapse; background: var(--card); }
th, td { text-align: left; padding: 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.status { font-weight: 600; } .status.active { color: var(--ok); } .status.pending { color: var(--warn); } .status.suspended { color: var(--danger); }
.alert { border-left: 6px solid var(--danger); background: #fff; padding: 12px 16px; margin: 12px 0; }
.notice { border-left: 6px solid var(--ok); background: #fff; padding: 12px 16px; margin: 12px 0; }
.secret { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 1rem; word-break: break-all; background: #fff8e1; border: 2px dashed var(--warn); padding: 12px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
code { word-break: break-all; }
pre { background: #0d1117; color: #e6edf3; padding: 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
textarea.code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; min-height: 8rem; }
.request-line { display: flex; gap: 12px; align-items: flex-end; } .request-line .grow { flex: 1; min-width: 0; }
ul.routes { list-style: none; padding: 0; margin: 0; display: grid; gap: 4px; }
ul.routes a { display: block; padding: 6px 8px; border-radius: 6px; text-decoration: none; } ul.routes a code { text-decoration: underline; }
ul.routes a:hover { background: var(--bg); }
.method { display: inline-block; min-width: 4.5em; font-weight: 700; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--ink); }
table.trail th[scope=row] { font-weight: 600; white-space: nowrap; }
table.trail tr.result { background: var(--bg); font-weight: 600; }
dl.details { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; }
dl.details dt { color: var(--muted); } dl.details dd { margin: 0; min-width: 0; }
summary { cursor: pointer; font-weight: 600; }
input[type=file].dropzone { display: block; width: 100%; min-height: 7rem; padding: 40px 16px; margin: 4px 0 12px; font: inherit; border: 2px dashed var(--brand); border-radius: 8px; background: #fff; color: var(--ink); cursor: pointer; }
@media (max-width: 600px) {
  main { padding: 12px; } h1 { font-size: 1.35rem; }
  table, thead, tbody, tr, th, td { display: block; } thead { display: none; }
  tr { border: 1px solid var(--line); border-radius: 6px; margin-bottom: 8px; background: var(--card); }
  td { border: none; } td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  .actions { flex-direction: column; } .actions button, .actions .button { width: 100%; }
  .request-line { flex-direction: column; align-items: stretch; }
  table.trail th[scope=row] { white-space: normal; } td[data-label="Details"]::before, th[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  dl.details { grid-template-columns: 1fr; } dl.details dd { margin-bottom: 4px; }
}
`
