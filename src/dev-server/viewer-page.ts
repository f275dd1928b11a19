/**
 * The run viewer served at `/`: one self-contained page (no external assets,
 * so it works offline and behind strict proxies) that renders `/api/runs` as
 * a tree of runs with their event timelines, and refreshes from `/api/live`.
 *
 * The page builds every node with createElement/textContent, so hook content
 * is never parsed as HTML.
 */

const STYLE = String.raw`
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

.topbar { position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: 16px;
  padding: 12px 24px; background: var(--panel); border-bottom: 1px solid var(--border); }
.topbar h1 { margin: 0; font-size: 15px; font-weight: 600; letter-spacing: .01em; }
.topbar h1 span { color: var(--muted); font-weight: 400; }
.summary { color: var(--muted); font-size: 13px; margin-left: auto; }
.status { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); }
.status::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--faint); }
.status[data-state="live"]::before { background: #16a34a; box-shadow: 0 0 0 3px rgba(22,163,74,.18); }
.status[data-state="polling"]::before { background: var(--open); }
.status[data-state="offline"]::before { background: var(--error); }
.ghost { border: 1px solid var(--border); background: transparent; border-radius: 6px; padding: 3px 10px; font-size: 12px; }
.ghost:hover { background: var(--panel-2); }

main { max-width: 1120px; margin: 0 auto; padding: 20px 24px 48px; }
.empty { text-align: center; padding: 72px 24px; color: var(--muted); border: 1px dashed var(--border); border-radius: 12px; }
.empty h2 { margin: 0 0 8px; font-size: 16px; color: var(--text); font-weight: 600; }
.empty code { display: inline-block; margin-top: 8px; padding: 6px 10px; border-radius: 6px; background: var(--panel); border: 1px solid var(--border); color: var(--text); }

.run { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; margin-bottom: 16px;
  box-shadow: 0 1px 2px rgba(16,24,40,.04); overflow: hidden; }
.children { padding: 4px 16px 4px 28px; background: var(--panel-2); border-top: 1px solid var(--border); position: relative; }
.children::before { content: ""; position: absolute; left: 14px; top: 0; bottom: 16px; border-left: 2px solid var(--border); }
.children > .run { margin: 12px 0; }
.run-head { padding: 12px 16px; display: grid; gap: 6px; }
/* The toggle hangs into the left padding so a wrapped stop summary lines up with the meta row. */
.run-line { display: flex; align-items: center; gap: 6px 12px; flex-wrap: wrap; padding-left: 20px; }
.toggle { display: inline-flex; align-items: center; gap: 8px; border: 0; background: none; padding: 0; margin-left: -20px; }
.toggle::before { content: ""; width: 6px; height: 6px; border: solid var(--muted); border-width: 0 1.5px 1.5px 0;
  transform: rotate(45deg); margin: 0 4px 3px 2px; transition: transform .12s; }
.toggle[aria-expanded="false"]::before { transform: rotate(-45deg); margin-bottom: 0; }
.run-id { font-family: var(--mono); font-weight: 600; font-size: 13px; }
.agent-name { font-weight: 600; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 16px; color: var(--muted); font-size: 12.5px; padding-left: 20px; }
.meta b { font-weight: 500; color: var(--faint); margin-right: 4px; }
.meta .mono { font-size: 12px; }
.warn { color: var(--error); }

.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 600; line-height: 18px; }
.badge.stop { color: var(--stop); background: var(--stop-bg); }
.badge.open { color: var(--open); background: var(--open-bg); }
.badge.error { color: var(--error); background: var(--error-bg); }
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
.tool-name { font-family: var(--mono); font-weight: 600; font-size: 12.5px; }
.tool-id { font-family: var(--mono); font-size: 11.5px; color: var(--faint); }
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

const SCRIPT = String.raw`
"use strict";
// Long content is cut at whichever comes first, so one huge line cannot fill the screen.
const PREVIEW_CHARS = 600;
const PREVIEW_LINES = 12;
const POLL_MS = 2000;
const REFRESH_DELAY_MS = 120;

// known: the event seqs of the previous render, so only new arrivals get highlighted.
const ui = { runs: [], collapsedRuns: new Set(), expanded: new Set(), known: null };
const conn = { live: false, reachable: true, lastPayload: "", pollTimer: 0, refreshTimer: 0, inFlight: false, again: false };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const num = (n) => Number(n).toLocaleString("en-US");
const pad = (n, width) => String(n).padStart(width || 2, "0");
function clock(ms) {
  const d = new Date(ms);
  return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + "." + pad(d.getMilliseconds(), 3);
}
function eventTime(received) {
  const ts = received.body.event.timestamp;
  const ms = typeof ts === "number" ? ts : typeof ts === "string" ? Date.parse(ts) : NaN;
  return Number.isNaN(new Date(ms).getTime()) ? received.receivedAt : ms;
}
// Hooks are delivered in parallel, so arrival order can differ from the order things happened.
function byTime(events) {
  return [...events].sort((a, b) => eventTime(a) - eventTime(b) || a.seq - b.seq);
}
function blobSize(blob) {
  const data = blob.data || "";
  if (blob.source !== "base64") return data.length;
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor(data.length * 3 / 4) - padding);
}
function bytes(n) {
  if (n < 1024) return n + " B";
  if (n < 1048576) return (n / 1024).toFixed(1) + " KB";
  return (n / 1048576).toFixed(1) + " MB";
}
function prettyJson(value) {
  return JSON.stringify(value, null, 2);
}
// Tool results are text, but usually JSON text: indent it when it parses.
function prettyIfJson(text) {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return text;
  try { return prettyJson(JSON.parse(trimmed)); } catch { return text; }
}

// Ends the preview on a line break when one is close, so it does not stop mid-sentence.
function preview(lines) {
  const joined = lines.slice(0, PREVIEW_LINES).join("\n");
  if (joined.length <= PREVIEW_CHARS) return joined + "\u2026";
  const head = joined.slice(0, PREVIEW_CHARS);
  const lastBreak = head.lastIndexOf("\n");
  return lastBreak > PREVIEW_CHARS / 2 ? head.slice(0, lastBreak) + "\n\u2026" : head + "\u2026";
}

function collapsible(key, text, className, tag) {
  const lines = text.split("\n");
  const long = text.length > PREVIEW_CHARS || lines.length > PREVIEW_LINES;
  const open = ui.expanded.has(key);
  const shown = !long || open ? text : preview(lines);
  const block = el(tag || "div", { class: className }, shown);
  if (!long) return block;
  const hidden = text.length - shown.length + 1;
  const toggle = el("button", {
    class: "more", type: "button", "data-testid": "show-more", "aria-expanded": String(open),
    onclick: () => { open ? ui.expanded.delete(key) : ui.expanded.add(key); render(); },
  }, open ? "show less" : "show more (" + num(hidden) + " more characters)");
  return [block, toggle];
}

function usageTokens(usage) {
  if (!usage) return null;
  const part = (value, label, title) => el("span", { title }, el("b", {}, value), label);
  const parts = [
    part(num(usage.inputTokens), "in", "input tokens"),
    part(num(usage.outputTokens), "out", "output tokens"),
    part(num(usage.totalTokens), "total", "total tokens"),
  ];
  if (usage.cacheReadTokens !== undefined) parts.push(part(num(usage.cacheReadTokens), "cache read", "tokens read from the prompt cache"));
  if (usage.cacheWriteTokens !== undefined) parts.push(part(num(usage.cacheWriteTokens), "cache write", "tokens written to the prompt cache"));
  const cost = usage.cost;
  if (cost) {
    const total = cost.inputTokensCost + cost.outputTokensCost + cost.cacheReadTokensCost + cost.cacheWriteTokensCost;
    const breakdown = "input " + cost.inputTokensCost + ", output " + cost.outputTokensCost +
      ", cache read " + cost.cacheReadTokensCost + ", cache write " + cost.cacheWriteTokensCost + " " + cost.currency;
    parts.push(part(String(Number(total.toPrecision(6))), cost.currency, breakdown));
  }
  return el("span", { class: "tokens" }, parts);
}

function stopSummary(stopEvent, testid) {
  return el("span", { class: "usage", "data-testid": testid },
    el("span", { class: "badge stop" }, stopEvent.stopReason || "stopped"),
    usageTokens(stopEvent.usage));
}

function eventContent(received) {
  const event = received.body.event;
  const key = received.seq + ":";
  if (event.source === "stop") return stopSummary(event);
  switch (event.type) {
    case "text":
      return collapsible(key + "text", String(event.text), "text");
    case "thinking":
      return collapsible(key + "thinking", String(event.thinking), "thinking");
    case "tool_use":
      return [
        el("div", { class: "tool" }, el("span", { class: "tool-name" }, event.name), el("span", { class: "tool-id" }, event.toolUseId)),
        event.input === undefined ? null : collapsible(key + "input", prettyJson(event.input), "block", "pre"),
      ];
    case "tool_result":
      return [
        el("div", { class: "tool" },
          event.name ? el("span", { class: "tool-name" }, event.name) : null,
          el("span", { class: "tool-id" }, event.toolUseId),
          event.isError ? el("span", { class: "badge error", "data-testid": "tool-error" }, "error") : null),
        event.content === undefined ? null
          : collapsible(key + "content", prettyIfJson(String(event.content)), event.isError ? "block error" : "block", "pre"),
      ];
    case "image":
    case "document": {
      const blob = event[event.type] || {};
      const where = blob.source === "base64" ? null : el("span", { class: "tool-id" }, blob.data);
      return el("div", { class: "tool" },
        el("span", { class: "tool-name" }, blob.mediaType || "unknown type"),
        el("span", { class: "chip" }, bytes(blobSize(blob))), el("span", { class: "tool-id" }, blob.source), where);
    }
    default:
      return null;
  }
}

function renderEvent(received) {
  const event = received.body.event;
  const type = event.source === "stop" ? "stop" : String(event.type);
  const at = eventTime(received);
  const fresh = ui.known !== null && !ui.known.has(received.seq);
  return el("li", { class: fresh ? "event fresh" : "event", "data-testid": "event", "data-source": event.source, "data-type": type, "data-seq": received.seq },
    el("time", { class: "ev-time", datetime: new Date(at).toISOString(), title: new Date(at).toString() }, clock(at)),
    el("span", { class: "ev-source " + event.source }, event.source),
    el("span", { class: "ev-type" }, type),
    el("div", { class: "ev-body" },
      el("div", { class: "ev-hook" }, el("span", { class: "mono" }, received.body.hookEvent), event.model ? " \u00b7 " + event.model : null),
      eventContent(received)));
}

function metaItem(label, value, mono) {
  return value ? el("span", {}, el("b", {}, label), el("span", { class: mono ? "mono" : null }, value)) : null;
}

function describeUser(user) {
  if (!user) return "";
  const name = user.name || user.id || "";
  if (user.email) return name ? name + " <" + user.email + ">" : user.email;
  return name;
}

function allRuns(runs) {
  return runs.flatMap((run) => [run, ...allRuns(run.children)]);
}

function renderRun(run) {
  const open = !ui.collapsedRuns.has(run.runId);
  const stop = run.stop && run.stop.body.event;
  const agent = run.agent || {};
  const head = el("header", { class: "run-head" },
    el("div", { class: "run-line" },
      el("button", {
        class: "toggle", type: "button", "aria-expanded": String(open), title: open ? "Collapse run" : "Expand run",
        onclick: () => { open ? ui.collapsedRuns.add(run.runId) : ui.collapsedRuns.delete(run.runId); render(); },
      },
      agent.name ? el("span", { class: "agent-name", title: agent.systemPrompt }, agent.name) : null,
      el("span", { class: "run-id" }, run.runId)),
      stop ? null : el("span", { class: "badge open", "data-testid": "run-open" }, "open"),
      stop ? stopSummary(stop, "run-stop") : null),
    el("div", { class: "meta" },
      metaItem("parent", run.parentRunId, true),
      metaItem("agent id", agent.id, true),
      metaItem("session", run.sessionId, true),
      metaItem("user", describeUser(run.user)),
      metaItem("started", clock(run.firstReceivedAt)),
      metaItem("events", String(run.events.length)),
      run.children.length ? metaItem("sub-runs", String(run.children.length)) : null,
      run.afterStop ? el("span", { class: "warn" }, run.afterStop + " event(s) after stop") : null));
  return el("section", { class: "run", "data-testid": "run", "data-run-id": run.runId },
    head,
    open ? el("ol", { class: "timeline", "data-testid": "timeline" }, byTime(run.events).map(renderEvent)) : null,
    open && run.children.length ? el("div", { class: "children" }, run.children.map(renderRun)) : null);
}

function renderEmpty() {
  return el("div", { class: "empty", "data-testid": "empty-state" },
    el("h2", {}, "No runs yet"),
    el("div", {}, "Point the SDK at this server and events will appear here as they arrive."),
    el("code", {}, "PERMISO_BASE_URL=" + location.origin));
}

function render() {
  const main = document.getElementById("runs");
  main.replaceChildren(...(ui.runs.length ? ui.runs.map(renderRun) : [renderEmpty()]));
  const flat = allRuns(ui.runs);
  ui.known = new Set(flat.flatMap((run) => run.events.map((received) => received.seq)));
  const events = ui.known.size;
  const runs = flat.length;
  document.getElementById("summary").textContent =
    num(runs) + (runs === 1 ? " run" : " runs") + " \u00b7 " + num(events) + (events === 1 ? " event" : " events");
}

function showStatus() {
  const status = document.getElementById("status");
  const state = !conn.reachable ? "offline" : conn.live ? "live" : "polling";
  status.dataset.state = state;
  status.textContent = state;
}

async function refresh() {
  if (conn.inFlight) { conn.again = true; return; }
  conn.inFlight = true;
  try {
    const response = await fetch("/api/runs", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const text = await response.text();
    conn.reachable = true;
    if (text !== conn.lastPayload) {
      conn.lastPayload = text;
      ui.runs = JSON.parse(text).runs;
      render();
    }
  } catch {
    conn.reachable = false;
  } finally {
    conn.inFlight = false;
    showStatus();
    if (conn.again) { conn.again = false; scheduleRefresh(); }
  }
}

// Coalesces a burst of live messages into one fetch, without starving a steady stream.
function scheduleRefresh() {
  if (!conn.refreshTimer) conn.refreshTimer = setTimeout(() => { conn.refreshTimer = 0; refresh(); }, REFRESH_DELAY_MS);
}

function startPolling() {
  if (!conn.pollTimer) conn.pollTimer = setInterval(refresh, POLL_MS);
}
function stopPolling() {
  clearInterval(conn.pollTimer);
  conn.pollTimer = 0;
}

// EventSource reconnects by itself after a drop; polling only covers the gap
// (or a browser or proxy that never lets the stream open).
function connectLive() {
  if (typeof EventSource !== "function") return startPolling();
  const source = new EventSource("/api/live");
  source.onopen = () => { conn.live = true; stopPolling(); showStatus(); scheduleRefresh(); };
  source.onmessage = scheduleRefresh;
  source.onerror = () => { conn.live = false; showStatus(); startPolling(); };
}

document.getElementById("clear").addEventListener("click", async () => {
  await fetch("/api/runs", { method: "DELETE" });
  ui.collapsedRuns.clear();
  ui.expanded.clear();
  refresh();
});

refresh();
connectLive();
`;

export const VIEWER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Permiso hooks \u00b7 local runs</title>
<style>${STYLE}</style>
</head>
<body>
<header class="topbar">
  <h1>Permiso hooks <span>local runs</span></h1>
  <span class="status" id="status" data-testid="live-status" data-state="connecting">connecting</span>
  <span class="summary" id="summary"></span>
  <button class="ghost" id="clear" type="button" title="Forget every run received so far">Clear</button>
</header>
<main id="runs"></main>
<script>${SCRIPT}</script>
</body>
</html>
`;
