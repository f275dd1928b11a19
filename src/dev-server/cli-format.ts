/**
 * The pure half of the `permiso-hooks` command: argument parsing and the
 * lines it prints, kept apart from the process so they can be tested directly.
 */
import { parseArgs } from "node:util";
import { formatIssues, type ValidationIssue } from "../protocol/validate.js";
import { previewEvent } from "./event-preview.js";
import type { ReceivedEvent } from "./run-store.js";
import { DEFAULT_DEV_PORT } from "./server.js";

export const USAGE = `Usage: permiso-hooks dev [options]

Starts a local receiver for the Permiso Custom Hooks API that validates every
request like the real endpoint, and a live run viewer.

Options:
  --port <number>   Port to listen on, 0 for any free port (default ${DEFAULT_DEV_PORT})
  --host <address>  Interface to bind (default 127.0.0.1)
  --log <file>      Append every accepted request to this file as JSON lines
  -h, --help        Show this help
  --version         Show the SDK version
`;

export type CliCommand =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "dev"; port: number; host: string; logFile?: string }
  | { kind: "usage-error"; message: string };

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        log: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    });
  } catch (error) {
    // Node appends advice about "--" positionals that does not apply to this CLI.
    return { kind: "usage-error", message: (error as Error).message.replace(/\. To specify a positional.*$/s, "") };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };

  const [command, ...extra] = positionals;
  if (command === undefined) return { kind: "usage-error", message: "Missing command" };
  if (command !== "dev") return { kind: "usage-error", message: `Unknown command "${command}"` };
  if (extra.length > 0) return { kind: "usage-error", message: `Unexpected argument "${extra[0]}"` };

  const port = values.port === undefined ? DEFAULT_DEV_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? "0") || port > 65535) {
    return { kind: "usage-error", message: `--port must be an integer from 0 to 65535 (got "${values.port}")` };
  }
  const host = values.host ?? "127.0.0.1";
  if (host === "") return { kind: "usage-error", message: "--host must not be empty" };
  if (values.log === "") return { kind: "usage-error", message: "--log must name a file" };
  return values.log === undefined
    ? { kind: "dev", port, host }
    : { kind: "dev", port, host, logFile: values.log };
}

export function formatBanner(url: string, version: string, logFile?: string): string {
  const lines = [
    `permiso-hooks dev ${version}`,
    `  Viewer:  ${url}/`,
    `  Point the SDK here with:`,
    `    PERMISO_BASE_URL=${url}`,
    `  Requests need an x-api-key header (any value is accepted).`,
  ];
  if (logFile) lines.push(`  Appending accepted events to ${logFile}`);
  lines.push("Press Ctrl+C to stop.", "");
  return lines.join("\n");
}

const RUN_ID_PREFIX = 8;
const PREVIEW_CHARS = 72;

/** One line per accepted event: `12:03:04 1a2b3c4d pre_tool_use agent/tool_use search {"q":"x"}`. */
export function formatEventLine(received: ReceivedEvent): string {
  const { body } = received;
  const event = body.event as Record<string, unknown>;
  const kind = event.source === "stop" ? "stop" : `${String(event.source)}/${String(event.type)}`;
  const preview = previewEvent(event, PREVIEW_CHARS);
  const parts = [clockTime(received.receivedAt), body.runId.slice(0, RUN_ID_PREFIX), body.hookEvent, kind];
  if (preview) parts.push(preview);
  return parts.join("  ");
}

/** One line per refused request; names the run and hook when the body got far enough to have them. */
export function formatRejectLine(issues: readonly ValidationIssue[], body?: unknown): string {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const parts = ["rejected"];
  if (typeof fields.runId === "string") parts.push(fields.runId.slice(0, RUN_ID_PREFIX));
  if (typeof fields.hookEvent === "string") parts.push(fields.hookEvent);
  parts.push(formatIssues(issues));
  return parts.join("  ");
}

function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}
