/**
 * examples/collector/otel-collector.yaml, checked by the Collector's own
 * `validate`. The Collector built here cannot include the loadbalancing
 * exporter (the Go module proxy does not serve it), so the check is in two
 * parts: the file as shipped fails only for that missing component, and the
 * same file with an OTLP/gRPC exporter in its place validates whole.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { otelcol } from "./support/external-tools.js";

const collector = otelcol();
const example = resolve(import.meta.dirname, "../../examples/collector/otel-collector.yaml");

async function validate(config: string): Promise<{ ok: boolean; output: string }> {
  const directory = mkdtempSync(join(tmpdir(), "otelcol-validate-"));
  const file = join(directory, "config.yaml");
  writeFileSync(file, config);
  try {
    const { stdout, stderr } = await promisify(execFile)(collector.path!, ["validate", `--config=${file}`], {
      env: { ...process.env, PERMISO_GATEWAY_TOKEN: "t" },
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = error as { stdout: string; stderr: string };
    return { ok: false, output: failure.stdout + failure.stderr };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe.skipIf(collector.skipReason)("the example Collector configuration", () => {
  it("as shipped: the only problem the validator finds is the loadbalancing exporter this build lacks", async () => {
    const result = await validate(readFileSync(example, "utf8"));
    expect(result.ok).toBe(false);
    expect(result.output.trim()).toMatch(/'exporters' unknown type: "loadbalancing" for id: "loadbalancing" \(valid values: \[[^\]]*\]\)$/);
    expect(result.output.match(/unknown type/g)).toHaveLength(1);
  });

  it("with an OTLP/gRPC exporter in the loadbalancing exporter's place: valid", async () => {
    const shipped = readFileSync(example, "utf8");
    const exporters = /^exporters:\n[\s\S]*?(?=^service:)/m;
    expect(shipped).toMatch(exporters);
    const substituted = shipped
      .replace(exporters, "exporters:\n  otlp_grpc/gateways:\n    endpoint: permiso-gateway:4317\n    tls:\n      insecure: true\n\n")
      .replace("exporters: [loadbalancing]", "exporters: [otlp_grpc/gateways]");
    const result = await validate(substituted);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });
});

const { skipReason } = collector;
if (skipReason) describe("the example Collector configuration", () => it.skip(skipReason, () => {}));
