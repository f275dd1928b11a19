#!/usr/bin/env node
/** `permiso-hooks dev`: runs the local receiver and prints what it sees. `permiso-hooks gateway`: see gateway/cli.ts. */
import { SDK_VERSION } from "../version.js";
import { USAGE, formatBanner, formatEventLine, formatRejectLine, parseCliArgs } from "./cli-format.js";
import { startDevServer } from "./server.js";

const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<void> {
  // The gateway loads its own server stack; `dev` never pays for it.
  if (argv[0] === "gateway") return (await import("../gateway/cli.js")).runGatewayCli(argv.slice(1));
  const command = parseCliArgs(argv);
  switch (command.kind) {
    case "help":
      process.stdout.write(USAGE);
      return;
    case "version":
      process.stdout.write(`${SDK_VERSION}\n`);
      return;
    case "usage-error":
      process.stderr.write(`permiso-hooks: ${command.message}\n\n${USAGE}`);
      process.exitCode = EXIT_USAGE;
      return;
  }

  const server = await startDevServer({
    port: command.port,
    host: command.host,
    logFile: command.logFile,
    requireApiKey: true,
    onEvent: (event) => process.stdout.write(`${formatEventLine(event)}\n`),
    onReject: (issues, body) => process.stdout.write(`${formatRejectLine(issues, body)}\n`),
  });
  process.stdout.write(formatBanner(server.url, SDK_VERSION, command.logFile));

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
  process.stderr.write(`permiso-hooks: ${reason}\n`);
  process.exit(1);
});
