/**
 * The run viewer's page and style. The page loads its script from
 * `/viewer.js` and its style from `/viewer.css` (same origin, no external
 * assets, so it works offline and under a strict Content-Security-Policy).
 */

export const VIEWER_CSS = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --panel: #ffffff; --panel-2: #f9fafb; --border: #e2e5e9; --rule: #eef0f3;
  --text: #1b1f24; --muted: #5f6873; --faint: #98a0aa;
  --user: #2563eb; --agent: #7c3aed; --stop: #0f766e; --error: #dc2626; --open: #b45309;
  --user-bg: #eff4ff; --agent-bg: #f4f0ff; --stop-bg: #e9f7f4; --error-bg: #fdeeee; --open-bg: #fdf3e3;
  --fresh: #fff7d6;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1013; --panel: #15181d; --panel-2: #1a1e24; --border: #272c34; --rule: #1f242b;
    --text: #e4e7eb; --muted: #9aa3ae; --faint: #6b7480;
    --user: #7aa7ff; --agent: #b69cff; --stop: #4fd1b5; --error: #ff7a7a; --open: #f0b35a;
    --user-bg: #17233a; --agent-bg: #231c38; --stop-bg: #12302b; --error-bg: #3a1a1c; --open-bg: #35270f;
    --fresh: #3a3413;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.5 var(--sans); }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
button { font: inherit; color: inherit; cursor: pointer; }

.topbar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px;
  padding: 12px 24px; background: var(--panel); border-bottom: 1px solid var(--border); }
.topbar h1 { margin: 0; font-size: 15px; font-weight: 600; letter-spacing: .01em; }
.topbar h1 span { color: var(--muted); font-weight: 400; }
.summary { color: var(--muted); font-size: 13px; margin-left: auto; }
.status { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); }
.status::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--faint); }
.status[data-state="live"]::before { background: #16a34a; box-shadow: 0 0 0 3px rgba(22,163,74,.18); }
.status[data-state="polling"]::before { background: var(--open); }
.status[data-state="offline"]::before, .status[data-state="server-error"]::before { background: var(--error); }
.status[data-state="server-error"] { color: var(--error); }
.ghost { border: 1px solid var(--border); background: transparent; border-radius: 6px; padding: 3px 10px; font-size: 12px; }
.ghost:hover { background: var(--panel-2); }
.ghost.small { padding: 0 8px; font-size: 11.5px; line-height: 18px; }
.ghost.danger { color: var(--error); border-color: var(--error); }
.controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.filter { width: min(360px, 40vw); padding: 4px 10px; font: inherit; font-size: 12.5px; color: inherit; background: var(--panel-2);
  border: 1px solid var(--border); border-radius: 6px; }
.confirm { display: inline-flex; align-items: center; gap: 8px; font-size: 12.5px; }
.confirm[hidden] { display: none; }
.notice { max-width: 1120px; margin: 12px auto 0; padding: 8px 12px; border-radius: 8px; background: var(--open-bg); color: var(--open); font-size: 12.5px; }
.notice[hidden] { display: none; }

main { max-width: 1120px; margin: 0 auto; padding: 20px 24px 48px; }
.empty { text-align: center; padding: 72px 24px; color: var(--muted); border: 1px dashed var(--border); border-radius: 12px; }
.empty h2 { margin: 0 0 8px; font-size: 16px; color: var(--text); font-weight: 600; }
.empty code { display: inline-block; margin-top: 8px; padding: 6px 10px; border-radius: 6px; background: var(--panel); border: 1px solid var(--border); color: var(--text); }

.run { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; margin-bottom: 16px;
  box-shadow: 0 1px 2px rgba(16,24,40,.04); overflow: hidden; }
.run-head { padding: 12px 16px; display: grid; gap: 6px; }
/* The toggle hangs into the left padding so a wrapped stop summary lines up with the meta row. */
.run-line { display: flex; align-items: center; gap: 6px 12px; flex-wrap: wrap; padding-left: 20px; }
.toggle { display: inline-flex; align-items: center; gap: 8px; border: 0; background: none; padding: 0; margin-left: -20px; }
.toggle::before { content: ""; width: 6px; height: 6px; border: solid var(--muted); border-width: 0 1.5px 1.5px 0;
  transform: rotate(45deg); margin: 0 4px 3px 2px; transition: transform .12s; }
.toggle[aria-expanded="false"]::before { transform: rotate(-45deg); margin-bottom: 0; }
/* Long unbroken names wrap instead of being cut off. */
.run-id { font-family: var(--mono); font-weight: 600; font-size: 13px; overflow-wrap: anywhere; text-align: left; }
.agent-name { font-weight: 600; overflow-wrap: anywhere; text-align: left; }
.toggle { min-width: 0; max-width: 100%; flex-wrap: wrap; }
.run-line > *, .meta > * { min-width: 0; overflow-wrap: anywhere; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 16px; color: var(--muted); font-size: 12.5px; padding-left: 20px; }
.meta b { font-weight: 500; color: var(--faint); margin-right: 4px; }
.meta .mono { font-size: 12px; }
.warn { color: var(--error); }

.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 600; line-height: 18px; }
.badge.stop { color: var(--stop); background: var(--stop-bg); }
.badge.open { color: var(--open); background: var(--open-bg); }
.badge.error, .badge.denied { color: var(--error); background: var(--error-bg); }
.event.denied { box-shadow: inset 3px 0 0 var(--error); }
.decision { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 8px; font-size: 12.5px; }
.muted { color: var(--muted); }
.pending { border-top: 1px solid var(--border); }
.sub-run { list-style: none; padding: 8px 16px 8px 28px; background: var(--panel-2); border-top: 1px solid var(--rule); }
.sub-run > .run { margin: 0; }
.more-rows { display: block; width: 100%; border: 0; border-top: 1px solid var(--rule); background: var(--panel-2); padding: 8px; color: var(--user); font-size: 12.5px; }
pre.prompt { margin: 4px 0 0 20px; }
.usage { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.tokens { display: inline-flex; flex-wrap: wrap; border: 1px solid var(--border); border-radius: 6px; overflow: hidden; }
.tokens > span { font-size: 12px; color: var(--muted); padding: 1px 8px; white-space: nowrap; border-left: 1px solid var(--border); }
.tokens > span:first-child { border-left: 0; }
.tokens b, .chip b { color: var(--text); font-weight: 600; font-variant-numeric: tabular-nums; margin-right: 3px; }
.chip { font-size: 12px; color: var(--muted); padding: 1px 8px; border: 1px solid var(--border); border-radius: 6px; white-space: nowrap; }

.timeline { list-style: none; margin: 0; padding: 0; border-top: 1px solid var(--border); }
.event { display: grid; grid-template-columns: 92px 56px 84px minmax(0, 1fr); gap: 0 12px; align-items: baseline;
  padding: 8px 16px; border-top: 1px solid var(--rule); }
.event:first-child { border-top: 0; }
.event.fresh { animation: fresh 1.6s ease-out; }
@keyframes fresh { from { background: var(--fresh); } to { background: transparent; } }
.ev-time { font-family: var(--mono); font-size: 12px; color: var(--faint); font-variant-numeric: tabular-nums; }
.ev-source { justify-self: start; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em;
  padding: 0 6px; border-radius: 4px; line-height: 18px; }
.ev-source.user { color: var(--user); background: var(--user-bg); }
.ev-source.agent { color: var(--agent); background: var(--agent-bg); }
.ev-source.stop { color: var(--stop); background: var(--stop-bg); }
.ev-type { font-family: var(--mono); font-size: 12px; color: var(--muted); }
.ev-body { min-width: 0; display: grid; gap: 4px; }
.ev-hook { font-size: 12px; color: var(--faint); }
.ev-hook .mono { color: var(--muted); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.thinking { white-space: pre-wrap; overflow-wrap: anywhere; color: var(--muted); font-style: italic; }
.tool { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.tool-name { font-family: var(--mono); font-weight: 600; font-size: 12.5px; overflow-wrap: anywhere; min-width: 0; }
.tool-id { font-family: var(--mono); font-size: 11.5px; color: var(--faint); overflow-wrap: anywhere; min-width: 0; }
.ev-hook { overflow-wrap: anywhere; }
pre.block { margin: 0; padding: 8px 10px; background: var(--panel-2); border: 1px solid var(--rule); border-radius: 6px;
  white-space: pre-wrap; overflow-wrap: anywhere; max-width: 100%; }
pre.block.error { border-color: var(--error-bg); }
.more { justify-self: start; border: 0; background: none; padding: 0; color: var(--user); font-size: 12px; }
.more:hover { text-decoration: underline; }
@media (max-width: 720px) {
  .event { grid-template-columns: auto auto minmax(0, 1fr); }
  .ev-body { grid-column: 1 / -1; }
  /* A segmented box wraps badly; separate chips wrap cleanly. */
  .tokens { border: 0; border-radius: 0; gap: 4px; }
  .tokens > span, .tokens > span:first-child { border: 1px solid var(--border); border-radius: 6px; }
}
`;

export const VIEWER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Permiso hooks \u00b7 local runs</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<link rel="stylesheet" href="/viewer.css">
<script src="/viewer.js" defer></script>
</head>
<body>
<header class="topbar">
  <h1>Permiso hooks <span>local runs</span></h1>
  <span class="status" id="status" data-testid="live-status" data-state="connecting">connecting</span>
  <span class="summary" id="summary" data-testid="summary"></span>
  <div class="controls">
    <input class="filter" id="filter" data-testid="filter" type="search" placeholder="Filter: text, agent:, session:, user:, tool:" aria-label="Filter runs" autocomplete="off">
    <button class="ghost" id="collapse-all" data-testid="collapse-all" type="button">Collapse all</button>
    <button class="ghost" id="expand-all" data-testid="expand-all" type="button">Expand all</button>
    <button class="ghost" id="clear" data-testid="clear" type="button" title="Forget every run received so far">Clear</button>
    <span class="confirm" id="confirm-clear" data-testid="confirm-clear" hidden>
      <span id="confirm-text"></span>
      <button class="ghost danger" id="confirm-yes" data-testid="confirm-yes" type="button">Clear all</button>
      <button class="ghost" id="confirm-cancel" data-testid="confirm-cancel" type="button">Cancel</button>
    </span>
  </div>
</header>
<div class="notice" id="notice" data-testid="evicted-notice" hidden></div>
<main id="runs"></main>
</body>
</html>
`;

/** A small mark for the browser tab, so it does not ask for /favicon.ico in vain. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="4" fill="#7c3aed"/><path d="M5 4h4a3 3 0 0 1 0 6H7v2H5z" fill="#fff"/></svg>`;
