/**
 * examples/collector/otel-collector.yaml with the Collector built here
 * (scripts/otelcol/build.sh, which includes the loadbalancing exporter):
 * the file as shipped passes the Collector's own `validate`, and its
 * pipeline runs for real in front of two token-protected gateways once its
 * DNS resolver (a Kubernetes headless Service) is swapped for a static one
 * listing the two, and its listeners are moved to loopback.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { deadPort } from "../support/recorder.js";
import { closeAndExpectEachTraceWhole, forwardedAll, providerThroughCollector, sendScenarios, startCollector, startGatewayWithReceiver } from "./support/collector.js";
import { otelcol } from "./support/external-tools.js";

const collector = otelcol();
const example = resolve(import.meta.dirname, "../../examples/collector/otel-collector.yaml");
const token = "example-token";

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
}, 60_000);

function writeConfig(config: string): string {
  const directory = mkdtempSync(join(tmpdir(), "otelcol-example-"));
  cleanup.push(() => rmSync(directory, { recursive: true, force: true }));
  const file = join(directory, "config.yaml");
  writeFileSync(file, config);
  return file;
}

/** Replaces `pattern` in `text`, failing if the example no longer has it. */
function replaced(text: string, pattern: RegExp | string, replacement: string): string {
  expect(text).toMatch(pattern);
  return text.replace(pattern, replacement);
}

describe.skipIf(collector.skipReason)("the example Collector configuration", () => {
  it("as shipped: valid, loadbalancing exporter and DNS resolver included", async () => {
    const { stdout, stderr } = await promisify(execFile)(collector.path!, ["validate", `--config=${example}`], {
      env: { ...process.env, PERMISO_GATEWAY_TOKEN: token },
    });
    expect(stdout + stderr).toBe("");
  });

  it(
    "with a static resolver for two gateways on loopback: each trace reaches one gateway whole, with the token",
    async () => {
      const [single, a, b] = await Promise.all([startGatewayWithReceiver(), startGatewayWithReceiver({ token }), startGatewayWithReceiver({ token })]);
      cleanup.push(single.close, a.close, b.close);
      const [grpcPort, httpPort] = [await deadPort(), await deadPort()];
      let config = readFileSync(example, "utf8");
      config = replaced(config, /^ {4}resolver:\n {6}dns:\n(?: {8}.*\n)+/m, `    resolver:\n      static:\n        hostnames: [${a.gateway.grpcAddress}, ${b.gateway.grpcAddress}]\n`);
      config = replaced(config, "endpoint: 0.0.0.0:4317", `endpoint: 127.0.0.1:${grpcPort}`);
      config = replaced(config, "endpoint: 0.0.0.0:4318", `endpoint: 127.0.0.1:${httpPort}`);
      // The Collector's own metrics would listen on a fixed port (8888), taken by any other Collector running.
      config = replaced(config, /^service:\n/m, "service:\n  telemetry:\n    metrics:\n      level: none\n");
      const otelcolProcess = await startCollector(collector.path!, writeConfig(config), httpPort, { PERMISO_GATEWAY_TOKEN: token });
      cleanup.push(otelcolProcess.close);

      const provider = providerThroughCollector(grpcPort, single);
      const traces = (await sendScenarios(provider)) + (await sendScenarios(provider));
      await provider.forceFlush();
      await forwardedAll(single, [a, b]);
      const tracesPerGateway = await closeAndExpectEachTraceWhole(provider, single, [a, b]);
      expect(tracesPerGateway[0] + tracesPerGateway[1]).toBe(traces);
    },
    180_000,
  );
});

const { skipReason } = collector;
if (skipReason) describe("the example Collector configuration", () => it.skip(skipReason, () => {}));
