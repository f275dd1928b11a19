/**
 * The pure half of the `permiso-hooks` command: argument parsing and the
 * lines it prints, kept apart from the process so they can be tested directly.
 *
 * Everything printed that came from a request (hook names, run ids, text)
 * goes through escapeControlCharacters: a terminal obeys escape sequences,
 * and model-written text must not set the window title or clear the screen.
 */
import { parseArgs } from "node:util";
import { escapeControlCharacters } from "../protocol/printable.js";
import { formatIssues, type ValidationIssue } from "../protocol/validate.js";
import { previewEvent } from "./event-preview.js";
import type { ReceivedEvent, StoreChange } from "./run-store.js";
import { DEFAULT_DEV_PORT } from "./server.js";

/** The commands, one line each: what `permiso-hooks --help` prints. */
export const COMMANDS = [
  ["dev", "A local receiver that validates like Permiso, with a live run viewer"],
  ["gateway", "OTLP (HTTP and gRPC) in from any SDK or Collector, Permiso runs out"],
] as const;

export type CommandName = (typeof COMMANDS)[number][0];

export const USAGE = `Usage: permiso-hooks <command> [options]

Commands:
${COMMANDS.map(([name, summary]) => `  ${name.padEnd(10)}${summary}`).join("\n")}

Options:
  -h, --help  Show this help; after a command, that command's options
  --version   Show the SDK version
`;

export const DEV_USAGE = `Usage: permiso-hooks dev [options]

Starts a local receiver for the Permiso Custom Hooks API that validates every
request like the real endpoint, and a live run viewer.

Options:
  --port <number>       Port to listen on, 0 for any free port (default ${DEFAULT_DEV_PORT})
  --host <address>      Interface to bind (default 127.0.0.1; 0.0.0.0 exposes prompts to the network)
  --allow-host <name>   Also answer requests for this host name (repeatable; others are refused)
  --log <file>          Append every accepted request to this file as JSON lines
  --deny-tool <name>    Answer this tool's calls with permission "deny" (repeatable)
  --policy <file>       Deny tool calls by the rules in this JSON file (see the README)
  --max-events <n>      Events kept in memory before the oldest runs are evicted (default 100000)
  -h, --help            Show this help
  --version             Show the SDK version
`;

export const USAGE_HINT = "Run permiso-hooks --help for the commands.";
export const DEV_USAGE_HINT = "Run permiso-hooks dev --help for the options.";

export interface DevCommand {
  kind: "dev";
  port: number;
  host: string;
  logFile?: string;
  denyTools: string[];
  policyFile?: string;
  allowedHosts: string[];
  maxEvents?: number;
}

export type CliCommand =
  /** The commands, or with `command` that command's options. */
  | { kind: "help"; command?: CommandName }
  | { kind: "version" }
  | DevCommand
  /** `hint` says where to read more. */
  | { kind: "usage-error"; message: string; hint: string };

const COMMAND_NAMES: readonly string[] = COMMANDS.map(([name]) => name);
const isCommand = (name: string | undefined): name is CommandName => name !== undefined && COMMAND_NAMES.includes(name);
const usageError = (message: string, hint = DEV_USAGE_HINT): CliCommand => ({ kind: "usage-error", message, hint });

const STRING_OPTIONS = ["port", "host", "allow-host", "log", "deny-tool", "policy", "max-events"];

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinDashValues(argv),
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "allow-host": { type: "string", multiple: true },
        log: { type: "string" },
        "deny-tool": { type: "string", multiple: true },
        policy: { type: "string" },
        "max-events": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    });
  } catch (error) {
    // Node appends advice about "--" positionals that does not apply to this CLI.
    return usageError((error as Error).message.replace(/\. To specify a positional.*$/s, ""));
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help) return isCommand(command) ? { kind: "help", command } : { kind: "help" };
  if (values.version) return { kind: "version" };

  const commandList = COMMAND_NAMES.join(" or ");
  if (command === undefined) return usageError(`Missing command: ${commandList}`, USAGE_HINT);
  // The gateway's options are its own: it is recognised only as the first argument.
  if (command === "gateway") return usageError("Put the command first: permiso-hooks gateway [options]", USAGE_HINT);
  if (command !== "dev") return usageError(`Unknown command "${command}" (the commands are: ${COMMAND_NAMES.join(", ")})`, USAGE_HINT);
  if (extra.length > 0) return usageError(`Unexpected argument "${extra[0]}"`);

  const port = values.port === undefined ? DEFAULT_DEV_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? "0") || port > 65535) {
    return usageError(`--port must be an integer from 0 to 65535 (got "${values.port}")`);
  }
  const maxEvents = values["max-events"] === undefined ? undefined : Number(values["max-events"]);
  if (maxEvents !== undefined && (!/^\d+$/.test(values["max-events"] ?? "") || maxEvents < 1)) {
    return usageError(`--max-events must be a positive integer (got "${values["max-events"]}")`);
  }
  const host = values.host ?? "127.0.0.1";
  if (host === "") return usageError("--host must not be empty");
  if (values.log === "") return usageError("--log must name a file");
  if (values.policy === "") return usageError("--policy must name a file");
  const denyTools = values["deny-tool"] ?? [];
  if (denyTools.some((name) => name === "")) return usageError("--deny-tool must name a tool");
  const allowedHosts = values["allow-host"] ?? [];
  if (allowedHosts.some((name) => name === "")) return usageError("--allow-host must name a host");

  const dev: DevCommand = { kind: "dev", port, host, denyTools, allowedHosts };
  if (values.log !== undefined) dev.logFile = values.log;
  if (values.policy !== undefined) dev.policyFile = values.policy;
  if (maxEvents !== undefined) dev.maxEvents = maxEvents;
  return dev;
}

/**
 * `--port -1` would otherwise be read as a flag "-1" and get Node's "ambiguous
 * argument" message; joined as `--port=-1`, it gets ours ("must be an integer").
 */
function joinDashValues(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith("--") ? argv[i].slice(2) : "";
    const next = argv[i + 1];
    if (STRING_OPTIONS.includes(name) && next !== undefined && /^-[^-]/.test(next)) {
      args.push(`${argv[i]}=${next}`);
      i++;
    } else {
      args.push(argv[i]);
    }
  }
  return args;
}

export function formatBanner(url: string, version: string, command: Partial<Pick<DevCommand, "logFile" | "denyTools" | "policyFile">> = {}): string {
  const lines = [
    `permiso-hooks dev ${version}`,
    `  Viewer:  ${url}/`,
    `  Point the SDK here with:`,
    `    PERMISO_BASE_URL=${url}`,
    `  Requests need an x-api-key header (any value is accepted).`,
  ];
  if (command.logFile) lines.push(`  Appending accepted events to ${printable(command.logFile)}`);
  if (command.denyTools?.length) lines.push(`  Denying calls of: ${command.denyTools.map(printable).join(", ")}`);
  if (command.policyFile) lines.push(`  Deciding tool calls by the policy in ${printable(command.policyFile)}`);
  lines.push("Press Ctrl+C to stop.", "");
  return lines.join("\n");
}

/** The warning printed when the receiver listens on every interface. */
export function exposureWarning(host: string): string {
  return (
    `Warning: listening on ${host} makes the receiver reachable from the network: anyone who can reach this machine ` +
    `can read the prompts, tool inputs and user details it receives. Use --host 127.0.0.1 unless you need that.\n`
  );
}

const RUN_ID_PREFIX = 8;
const PREVIEW_CHARS = 72;

/** One line per accepted event: `12:03:04  1a2b3c4d  pre_tool_use  agent/tool_use  search {"q":"x"}`. */
export function formatEventLine(received: ReceivedEvent): string {
  const { body, decision } = received;
  const event = body.event as Record<string, unknown>;
  const kind = event.source === "stop" ? "stop" : `${String(event.source)}/${String(event.type)}`;
  const preview = previewEvent(event, PREVIEW_CHARS);
  const parts = [clockTime(received.receivedAt), body.runId.slice(0, RUN_ID_PREFIX), body.hookEvent, kind];
  if (preview) parts.push(preview);
  if (decision) parts.push(`DENIED (${decision.rule}${decision.continue === false ? ", run ends" : ""}): ${decision.agent_message}`);
  return printable(parts.join("  "));
}

/** One line per refused request; names the run and hook when the body got far enough to have them. */
export function formatRejectLine(issues: readonly ValidationIssue[], body?: unknown): string {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const parts = ["rejected"];
  if (typeof fields.runId === "string") parts.push(fields.runId.slice(0, RUN_ID_PREFIX));
  if (typeof fields.hookEvent === "string") parts.push(fields.hookEvent);
  parts.push(formatIssues(issues));
  return printable(parts.join("  "));
}

/** A line when runs are evicted to stay within the store's limits. */
export function formatStoreChange(change: StoreChange): string | undefined {
  if (change.kind !== "evicted") return undefined;
  const { runs, events } = change.evictions;
  return `evicted ${change.runIds.length} oldest run(s) to stay within the limit (${runs} runs, ${events} events evicted so far)`;
}

function printable(text: string): string {
  return escapeControlCharacters(text);
}

function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}
