/**
 * An engine wired to Permiso outside OpenTelemetry JS, as an OTLP receiver
 * would build one per API key: fed plain span records, it sends exactly the
 * requests the in-process exporter sends for the same spans.
 */
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/create-engine.js";
import { startDevServer } from "../../src/dev-server/index.js";
import { PermisoSpanExporter } from "../../src/otel/index.js";
import { toSpanView } from "../../src/otel/span-view.js";
import { orchestratorWithSubAgent } from "../support/ai-scenarios.js";
import { runsOf } from "../support/bridge-harness.js";
import { createProvider, InMemorySpanExporter, SimpleSpanProcessor } from "../support/otel-sdk.js";

describe("createEngine", () => {
  it("sends for span records what the exporter sends for the same spans", async () => {
    const memory = new InMemorySpanExporter();
    const provider = createProvider([new SimpleSpanProcessor(memory) as never]);
    await orchestratorWithSubAgent("genai", provider);
    const spans = memory.getFinishedSpans() as never[];
    await provider.shutdown();

    const [viaExporter, viaEngine] = await Promise.all([startDevServer({ port: 0 }), startDevServer({ port: 0 })]);
    try {
      const exporter = new PermisoSpanExporter({ apiKey: "k", baseUrl: viaExporter.url });
      await new Promise((resolve) => exporter.export(spans, resolve));
      await exporter.shutdown();

      const { engine, disabled } = createEngine({ apiKey: "k", baseUrl: viaEngine.url }, { policy: "hold-until-run-known" });
      expect(disabled).toBe(false);
      for (const span of spans) engine.spanEnded(structuredClone(toSpanView(span)));
      engine.release();
      await engine.shutdown();

      const bodies = (server: typeof viaEngine) => server.store.events().map((event) => event.body);
      expect(runsOf(bodies(viaEngine))).toEqual(runsOf(bodies(viaExporter)));
      expect(bodies(viaEngine)).toHaveLength(10);
    } finally {
      await Promise.all([viaExporter.close(), viaEngine.close()]);
    }
  });

  it("without a key, builds a disabled engine instead of throwing", () => {
    const saved = process.env.PERMISO_API_KEY;
    delete process.env.PERMISO_API_KEY;
    try {
      expect(createEngine({}, { policy: "hold-until-run-known" }).disabled).toBe(true);
    } finally {
      if (saved !== undefined) process.env.PERMISO_API_KEY = saved;
    }
  });
});
