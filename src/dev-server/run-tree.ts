/**
 * Runs as a tree for the terminal: each event on one line, child runs
 * nested where they began, each stop with its usage. Text from events is
 * printed with its control characters escaped, before any colour is added.
 */
import { escapeControlCharacters as printable } from "../protocol/printable.js";
import { previewEvent } from "./event-preview.js";
import { happenedAt } from "./event-time.js";
import type { ReceivedEvent, RunView } from "./run-store.js";

export interface RunTreeOptions {
  /** ANSI colours. @defaultValue false */
  color?: boolean;
  /** Longest content preview per line. @defaultValue 72 */
  previewLength?: number;
}

type Paint = (code: number, text: string) => string;

export function formatRunTree(runs: RunView[], options: RunTreeOptions = {}): string {
  const paint: Paint = options.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
  const lines: string[] = [];
  for (const run of runs) renderRun(run, "", lines, paint, options.previewLength ?? 72);
  return lines.join("\n");
}

function renderRun(run: RunView, indent: string, lines: string[], paint: Paint, previewLength: number): void {
  const header = [
    paint(1, `run ${printable(run.runId)}`),
    run.agent?.name ? `agent=${printable(run.agent.name)}` : "",
    run.sessionId ? `session=${printable(run.sessionId)}` : "",
    run.user?.id ? `user=${printable(run.user.id)}` : "",
    run.stop ? "" : paint(33, "(open)"),
    ...(run.warnings ?? []).map((warning) => paint(33, `(${printable(warning)})`)),
  ].filter(Boolean);
  lines.push(`${indent}${header.join("  ")}`);
  // Child runs appear where they began among the parent's events. Runs are
  // delivered in parallel, so arrival order says nothing; event time does.
  type Item = { at: number; seq: number; event?: ReceivedEvent; child?: RunView };
  const items: Item[] = [
    ...run.events.map((event): Item => ({ at: happenedAt(event), seq: event.seq, event })),
    ...run.children.map((child): Item => ({
      at: child.events.length > 0 ? child.startedAt : Number.MAX_SAFE_INTEGER,
      seq: child.events[0]?.seq ?? Number.MAX_SAFE_INTEGER,
      child,
    })),
  ].sort((a, b) => a.at - b.at || (a.child ? 1 : 0) - (b.child ? 1 : 0) || a.seq - b.seq);
  items.forEach((item, index) => {
    const last = index === items.length - 1;
    const branch = `${indent}${last ? "└─ " : "├─ "}`;
    if (item.child) {
      lines.push(`${branch}${paint(36, "sub-agent")}`);
      renderRun(item.child, `${indent}${last ? "   " : "│  "}`, lines, paint, previewLength);
    } else if (item.event) {
      lines.push(branch + describeEvent(item.event, paint, previewLength));
    }
  });
}

function describeEvent({ body, decision }: ReceivedEvent, paint: Paint, previewLength: number): string {
  const event = body.event as Record<string, unknown>;
  let content = printable(previewEvent(event, previewLength));
  if (decision) content += `  ${paint(31, "DENIED")} ${printable(decision.agent_message)}`;
  if (event.source === "stop") return `${paint(32, "stop")} ${content}`;
  const who = paint(event.source === "user" ? 35 : 34, String(event.source).padEnd(5));
  return `${who} ${printable(String(event.type)).padEnd(11)} ${content}`;
}
