/**
 * The matrix's premise: OTEL_SDK_MAJOR=1 really produces 1.x spans (parent as
 * `parentSpanId`, scope as `instrumentationLibrary`), and 2.x the new shape,
 * and the bridge reads both into the same view.
 */
import { expect, it } from "vitest";
import { toSpanView } from "../../src/otel/span-view.js";
import { createProvider, InMemorySpanExporter, SDK_MAJOR, SimpleSpanProcessor } from "../support/otel-sdk.js";

it(`sdk-trace-base ${SDK_MAJOR}.x spans have the ${SDK_MAJOR}.x shape, and read the same`, async () => {
  const memory = new InMemorySpanExporter();
  const provider = createProvider([new SimpleSpanProcessor(memory) as never]);
  const tracer = provider.getTracer("shape-check", "1.2.3");
  tracer.startActiveSpan("parent", (parent) => {
    tracer.startSpan("child").end();
    parent.end();
  });
  const [child, parent] = memory.getFinishedSpans() as any[];
  if (SDK_MAJOR === 1) {
    expect(child.parentSpanId).toBe(parent.spanContext().spanId);
    expect(child.parentSpanContext).toBeUndefined();
    expect(child.instrumentationLibrary.name).toBe("shape-check");
  } else {
    expect(child.parentSpanContext.spanId).toBe(parent.spanContext().spanId);
    expect(child.parentSpanId).toBeUndefined();
    expect(child.instrumentationScope.name).toBe("shape-check");
  }
  const view = toSpanView(child);
  expect(view).toMatchObject({ name: "child", parentSpanId: parent.spanContext().spanId, scope: "shape-check" });
  expect(view.parentIsRemote).toBe(SDK_MAJOR === 1 ? undefined : false);
  expect(toSpanView(parent).parentSpanId).toBeUndefined();
  await provider.shutdown();
});
