/**
 * Constructing the exporter and the processor: a missing API key turns them
 * into a harmless no-op that says so once (a deployment without the
 * variable must not crash its host); a wrong option value is a programming
 * error and throws at once, naming the option.
 */
import { diag, DiagLogLevel } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PermisoSpanExporter, PermisoSpanProcessor } from "../../src/otel/index.js";
import { weatherAgent } from "../support/ai-scenarios.js";
import { createProvider, InMemorySpanExporter, SimpleSpanProcessor } from "../support/otel-sdk.js";

const diagLines: string[] = [];
let savedKey: string | undefined;
beforeEach(() => {
  savedKey = process.env.PERMISO_API_KEY;
  delete process.env.PERMISO_API_KEY;
  diagLines.length = 0;
  const log = (level: string) => (...args: unknown[]) => diagLines.push(`${level} ${args.join(" ")}`);
  diag.setLogger({ error: log("error"), warn: log("warn"), info: log("info"), debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
});
afterEach(() => {
  if (savedKey !== undefined) process.env.PERMISO_API_KEY = savedKey;
  diag.disable();
});

describe("without an API key", () => {
  it("the processor reports once at error level, sends nothing and counts what it drops", async () => {
    const processor = new PermisoSpanProcessor({ baseUrl: "http://127.0.0.1:9" });
    const provider = createProvider([processor as never]);
    await weatherAgent("genai", provider);
    await weatherAgent("genai", provider);
    await provider.forceFlush();
    expect(processor.getStats()).toMatchObject({ eventsQueued: 12, eventsDropped: 12, eventsDelivered: 0, eventsFailed: 0 });
    await provider.shutdown();
    expect(diagLines.filter((line) => line.startsWith("error"))).toEqual([
      "error @permiso-io/custom-hooks-sdk PermisoSpanProcessor sends nothing: apiKey is required: pass { apiKey } or set the PERMISO_API_KEY environment variable. Events are counted as dropped.",
    ]);
    expect(diagLines.filter((line) => line.startsWith("warn"))).toEqual([]);
  });

  it("the exporter does the same, and its exports succeed so the SDK does not log every batch", async () => {
    const exporter = new PermisoSpanExporter();
    const memory = new InMemorySpanExporter();
    const recorder = createProvider([new SimpleSpanProcessor(memory) as never]);
    await weatherAgent("genai", recorder);
    const result = await new Promise<{ code: number }>((resolve) => exporter.export(memory.getFinishedSpans() as never, resolve));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(exporter.getStats()).toMatchObject({ spansSeen: 6, eventsQueued: 6, eventsDropped: 6 });
    await exporter.shutdown();
    await recorder.shutdown();
    expect(diagLines.filter((line) => line.startsWith("error"))).toHaveLength(1);
  });
});

function thrownBy(construct: () => unknown): unknown {
  try {
    construct();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("getStats()", () => {
  it("counts spans seen, skipped and late; events queued, delivered, failed, dropped, withheld and invalid; parts skipped; mask failures", () => {
    const documented = ["spansSeen", "spansSkipped", "spansLate", "eventsQueued", "eventsDelivered", "eventsFailed", "eventsDropped", "eventsWithheld", "eventsInvalid", "partsSkipped", "maskFailures"];
    for (const bridge of [new PermisoSpanProcessor({ apiKey: "k" }), new PermisoSpanExporter({ apiKey: "k" })]) {
      expect(Object.keys(bridge.getStats()).sort()).toEqual([...documented].sort());
      void bridge.shutdown();
    }
  });
});

describe("wrong option values", () => {
  it.each([
    [{ maxConcurrentRequests: 0 }, "maxConcurrentRequests must be a positive integer (got 0)"],
    [{ maxQueueSize: Number.NaN }, "maxQueueSize must be a positive integer (got NaN)"],
    [{ flushTimeoutMs: -5 }, "flushTimeoutMs must be a positive number of milliseconds, at most 2147483647 (got -5)"],
    [{ shouldExportSpan: true }, "shouldExportSpan must be a function (got true)"],
    [{ timeoutMs: 0 }, "timeoutMs must be a positive integer (got 0)"],
    [{ baseUrl: "ftp://example.com" }, 'baseUrl must use http or https (got "ftp://example.com")'],
  ])("%j throws at construction, with or without a key", (options, message) => {
    for (const apiKey of ["k", undefined]) {
      for (const construct of [() => new PermisoSpanProcessor({ apiKey, ...(options as object) }), () => new PermisoSpanExporter({ apiKey, ...(options as object) })]) {
        expect(construct).toThrow(message);
        expect(thrownBy(construct)).toMatchObject({ name: "ConfigurationError" });
      }
    }
  });
});
