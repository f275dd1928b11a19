/**
 * A short, one-line description of an event's content, shared by the CLI's
 * log lines and the terminal run tree.
 */

/** What an event carries, in a few words; empty when there is nothing to show. */
export function describeEventContent(event: Record<string, unknown>): string {
  if (event.source === "stop") return describeStop(event);
  switch (event.type) {
    case "text":
      return String(event.text ?? "");
    case "thinking":
      return String(event.thinking ?? "");
    case "tool_use":
      return event.input === undefined ? String(event.name) : `${String(event.name)} ${JSON.stringify(event.input)}`;
    case "tool_result": {
      const label = event.name ? `${String(event.name)} -> ` : "-> ";
      return `${event.isError ? "[error] " : ""}${label}${String(event.content ?? "")}`;
    }
    case "image":
    case "document": {
      const blob = (event[event.type] ?? {}) as { mediaType?: string; data?: string; source?: string };
      return `${blob.mediaType ?? "unknown type"}, ${formatBytes(blobSize(blob))}`;
    }
    default:
      return "";
  }
}

function describeStop(event: Record<string, unknown>): string {
  const usage = event.usage as
    | { inputTokens: number; outputTokens: number; totalTokens: number; cost?: { currency: string } & Record<string, number> }
    | undefined;
  const parts = [String(event.stopReason ?? "no reason")];
  if (usage) {
    parts.push(`${usage.totalTokens} tokens (in ${usage.inputTokens}, out ${usage.outputTokens})`);
    if (usage.cost) parts.push(formatCost(usage.cost));
  }
  return parts.join(", ");
}

/** Decoded size for base64 payloads; otherwise the length of what was sent (e.g. a URL). */
export function blobSize(blob: { data?: string; source?: string }): number {
  const data = blob.data ?? "";
  if (blob.source !== "base64") return data.length;
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A stop's cost, all four parts added up, rounded for reading. */
export function costTotal(cost: Partial<Record<string, unknown>>): number {
  const parts = [cost.inputTokensCost, cost.outputTokensCost, cost.cacheReadTokensCost, cost.cacheWriteTokensCost];
  const total = parts.reduce<number>((sum, part) => sum + (typeof part === "number" ? part : 0), 0);
  return Number(total.toPrecision(6));
}

function formatCost(cost: { currency: string } & Record<string, number>): string {
  return `${costTotal(cost)} ${cost.currency}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `describeEventContent` on one line, clipped to `max` characters. */
export function previewEvent(event: Record<string, unknown>, max: number): string {
  return truncate(oneLine(describeEventContent(event)), max);
}
