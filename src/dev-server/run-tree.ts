/**
 * Runs as a tree for the terminal: each event on one line, child runs
 * nested where they began, each stop with its usage.
 */
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
    paint(1, `run ${run.runId}`),
    run.agent?.name ? `agent=${run.agent.name}` : "",
    run.sessionId ? `session=${run.sessionId}` : "",
    run.user?.id ? `user=${run.user.id}` : "",
    run.stop ? "" : paint(33, "(open)"),
  ].filter(Boolean);
  lines.push(`${indent}${header.join("  ")}`);
  // Child runs appear where they began among the parent's events. Runs are
  // delivered in parallel, so arrival order says nothing; event time does.
  type Item = { at: number; seq: number; event?: ReceivedEvent; child?: RunView };
  const items: Item[] = [
    ...run.events.map((event): Item => ({ at: happenedAt(event), seq: event.seq, event })),
    ...run.children.map((child): Item => ({
      at: child.events.length > 0 ? Math.min(...child.events.map(happenedAt)) : Number.MAX_SAFE_INTEGER,
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

/** When the event happened: its own timestamp, else when it arrived. */
function happenedAt(received: ReceivedEvent): number {
  const timestamp = (received.body.event as { timestamp?: unknown }).timestamp;
  if (typeof timestamp === "number") return timestamp;
  if (typeof timestamp === "string" && !Number.isNaN(Date.parse(timestamp))) return Date.parse(timestamp);
  return received.receivedAt;
}

function describeEvent({ body }: ReceivedEvent, paint: Paint, previewLength: number): string {
  const event = body.event as Record<string, any>;
  if (event.source === "stop") {
    const usage = event.usage as Record<string, any> | undefined;
    const tokens = usage ? `  in ${usage.inputTokens} / out ${usage.outputTokens} / total ${usage.totalTokens}` : "";
    const cost = usage?.cost ? `  cost ${formatCost(usage.cost)}` : "";
    return paint(32, `stop ${event.stopReason ?? ""}`.trimEnd()) + tokens + cost;
  }
  const who = paint(event.source === "user" ? 35 : 34, String(event.source).padEnd(5));
  const type = String(event.type).padEnd(11);
  return `${who} ${type} ${clip(contentOf(event), previewLength)}`;
}

function contentOf(event: Record<string, any>): string {
  switch (event.type) {
    case "text":
      return JSON.stringify(event.text);
    case "thinking":
      return JSON.stringify(event.thinking);
    case "tool_use":
      return `${event.name}#${event.toolUseId} ${event.input === undefined ? "" : JSON.stringify(event.input)}`;
    case "tool_result":
      return `${event.name ?? ""}#${event.toolUseId} → ${event.isError ? "error: " : ""}${event.content ?? ""}`;
    case "image":
    case "document": {
      const blob = event[event.type] ?? {};
      return `${blob.mediaType ?? event.type} (${String(blob.data ?? "").length} chars)`;
    }
    default:
      return JSON.stringify(event);
  }
}

function formatCost(cost: Record<string, any>): string {
  const total = cost.inputTokensCost + cost.outputTokensCost + cost.cacheReadTokensCost + cost.cacheWriteTokensCost;
  return `${total.toFixed(6)} ${cost.currency}`;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
