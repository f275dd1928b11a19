#!/usr/bin/env node
/**
 * `permiso-hooks`: `--help` lists the commands. `permiso-hooks dev` runs the
 * local receiver and prints what it sees; `permiso-hooks gateway`: see gateway/cli.ts.
 */
import { escapeControlCharacters } from "../protocol/printable.js";
import { SDK_VERSION } from "../version.js";
import {
  DEV_USAGE,
  USAGE,
  exposureWarning,
  formatBanner,
  formatEventLine,
  formatRejectLine,
  formatStoreChange,
  parseCliArgs,
} from "./cli-format.js";
import { isWildcardHost } from "./host-check.js";
import { startDevServer } from "./server.js";
import { loadToolPolicy } from "./tool-policy.js";

const EXIT_USAGE = 2;

/** The gateway loads its own server stack; `dev` never pays for it. */
async function runGateway(argv: string[]): Promise<void> {
  return (await import("../gateway/cli.js")).runGatewayCli(argv);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "gateway") return runGateway(argv.slice(1));
  const command = parseCliArgs(argv);
  switch (command.kind) {
    case "help":
      if (command.command === "gateway") return runGateway(["--help"]);
      process.stdout.write(command.command === "dev" ? DEV_USAGE : USAGE);
      return;
    case "version":
      process.stdout.write(`${SDK_VERSION}\n`);
      return;
    case "usage-error":
      process.stderr.write(`permiso-hooks: ${escapeControlCharacters(command.message)}\n${command.hint}\n`);
      process.exitCode = EXIT_USAGE;
      return;
  }

  const policy = command.policyFile ? await loadToolPolicy(command.policyFile) : undefined;
  const server = await startDevServer({
    port: command.port,
    host: command.host,
    allowedHosts: command.allowedHosts,
    logFile: command.logFile,
    denyTools: command.denyTools,
    policy,
    maxEvents: command.maxEvents,
    requireApiKey: true,
    onEvent: (event) => process.stdout.write(`${formatEventLine(event)}\n`),
    onReject: (issues, body) => process.stdout.write(`${formatRejectLine(issues, body)}\n`),
    onStoreChange: (change) => {
      const line = formatStoreChange(change);
      if (line) process.stdout.write(`${line}\n`);
    },
    onLogError: (error) => process.stderr.write(`permiso-hooks: writing the log failed, later events are not logged: ${error.message}\n`),
  });
  if (isWildcardHost(command.host)) process.stderr.write(exposureWarning(command.host));
  process.stdout.write(formatBanner(server.url, SDK_VERSION, command));

  let closing = false;
  const shutdown = () => {
    // A second Ctrl+C while the log is flushing should not be swallowed.
    if (closing) process.exit(0);
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`permiso-hooks: ${escapeControlCharacters(reason)}\n`);
  process.exit(1);
});
