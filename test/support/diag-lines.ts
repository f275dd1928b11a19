/** Collects OpenTelemetry `diag` output (info and above) for a test to read. */
import { diag, DiagLogLevel } from "@opentelemetry/api";

export function captureDiag(lines: string[]): void {
  lines.length = 0;
  const log = (message: string, ...args: unknown[]) => lines.push([message, ...args].join(" "));
  diag.setLogger({ error: log, warn: log, info: log, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true });
}
