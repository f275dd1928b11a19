/**
 * `permiso-hooks gateway`: runs the OTLP gateway until SIGTERM or SIGINT,
 * then drains (held spans released, everything delivered) and exits 0.
 * Flags win over the environment: PERMISO_API_KEY, PERMISO_BASE_URL,
 * PERMISO_GATEWAY_TOKEN.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { diag, DiagConsoleLogger, DiagLogLevel } from "@opentelemetry/api";
import type { MaskFunction } from "../engine/content-policy.js";
import { startGateway } from "./gateway.js";
import { GATEWAY_DEFAULTS, type GatewayOptions } from "./options.js";

export const GATEWAY_USAGE = `Usage: permiso-hooks gateway [options]

Accepts OTLP traces (OTLP/HTTP and OTLP/gRPC) from any OpenTelemetry SDK or
Collector and reports their gen_ai spans to Permiso as runs.

Options:
  --http-port <number>  OTLP/HTTP port, 0 for any free port (default ${GATEWAY_DEFAULTS.httpPort})
  --grpc-port <number>  OTLP/gRPC port, 0 for any free port (default ${GATEWAY_DEFAULTS.grpcPort})
  --host <address>      Interface to bind (default ${GATEWAY_DEFAULTS.host}); set --token when not loopback
  --token <token>       Require "Authorization: Bearer <token>" (default: PERMISO_GATEWAY_TOKEN)
  --mask <module>       A module whose default (or "mask") export is the mask function
  --no-content          Send no message text, tool input or output (captureContent: false)
  -h, --help            Show this help

Environment: PERMISO_API_KEY (each request may name its own with the
x-permiso-api-key header), PERMISO_BASE_URL, PERMISO_GATEWAY_TOKEN.
`;

export type GatewayCommand =
  | { kind: "help" }
  | { kind: "usage-error"; message: string }
  | { kind: "run"; options: GatewayOptions; maskModule?: string };

export function parseGatewayArgs(argv: readonly string[], env: NodeJS.ProcessEnv): GatewayCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        "http-port": { type: "string" },
        "grpc-port": { type: "string" },
        host: { type: "string" },
        token: { type: "string" },
        mask: { type: "string" },
        "no-content": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return { kind: "usage-error", message: (error as Error).message.replace(/\. To specify a positional.*$/s, "") };
  }
  if (values.help) return { kind: "help" };
  const options: GatewayOptions = {};
  for (const [flag, key] of [["http-port", "httpPort"], ["grpc-port", "grpcPort"]] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    if (!/^\d+$/.test(text) || Number(text) > 65535) {
      return { kind: "usage-error", message: `--${flag} must be an integer from 0 to 65535 (got "${text}")` };
    }
    options[key] = Number(text);
  }
  if (values.host !== undefined) {
    if (values.host === "") return { kind: "usage-error", message: "--host must not be empty" };
    options.host = values.host;
  }
  const token = values.token ?? env.PERMISO_GATEWAY_TOKEN;
  if (token !== undefined && token !== "") options.token = token;
  if (values["no-content"]) options.captureContent = false;
  if (values.mask === "") return { kind: "usage-error", message: "--mask must name a module" };
  return { kind: "run", options, maskModule: values.mask };
}

export async function loadMask(modulePath: string): Promise<MaskFunction> {
  const module = (await import(pathToFileURL(resolve(modulePath)).href)) as { default?: unknown; mask?: unknown };
  const mask = typeof module.default === "function" ? module.default : module.mask;
  if (typeof mask !== "function") {
    throw new Error(`--mask ${modulePath}: the module must export a function as default or as "mask"`);
  }
  return mask as MaskFunction;
}

export async function runGatewayCli(argv: readonly string[]): Promise<void> {
  const command = parseGatewayArgs(argv, process.env);
  if (command.kind === "help") {
    process.stdout.write(GATEWAY_USAGE);
    return;
  }
  if (command.kind === "usage-error") {
    process.stderr.write(`permiso-hooks gateway: ${command.message}\n\n${GATEWAY_USAGE}`);
    process.exitCode = 2;
    return;
  }
  // The engine reports delivery problems through OpenTelemetry's diag logger: shown on stderr here.
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  const options = { ...command.options };
  if (command.maskModule) options.mask = await loadMask(command.maskModule);
  const gateway = await startGateway(options);
  process.stdout.write(
    [
      "permiso-hooks gateway",
      `  OTLP/HTTP: ${gateway.httpUrl}  (OTEL_EXPORTER_OTLP_ENDPOINT=${gateway.httpUrl})`,
      `  OTLP/gRPC: ${gateway.grpcAddress}`,
      `  Health: ${gateway.httpUrl}/healthz  Ready: ${gateway.httpUrl}/readyz  Metrics: ${gateway.httpUrl}/metrics`,
      options.token ? "  Bearer token required" : "  No token: bind only to trusted interfaces",
      "",
    ].join("\n"),
  );
  let closing = false;
  const drain = () => {
    if (closing) return;
    closing = true;
    process.stdout.write("permiso-hooks gateway: draining\n");
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on("SIGTERM", drain);
  process.on("SIGINT", drain);
}
