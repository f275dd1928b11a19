/**
 * Real OpenTelemetry SDK pieces for tests. `OTEL_SDK_MAJOR=1` switches to
 * sdk-trace-base 1.x (whose spans carry `parentSpanId` and
 * `instrumentationLibrary`); the default is 2.x.
 */
import { context, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import * as sdk2 from "@opentelemetry/sdk-trace-base";
import * as sdk1 from "sdk-trace-base-v1";

export const SDK_MAJOR = process.env.OTEL_SDK_MAJOR === "1" ? 1 : 2;
const sdk = (SDK_MAJOR === 1 ? sdk1 : sdk2) as typeof sdk2;

let contextManagerReady = false;
/** Nested spans need an async context manager; a bare provider registers none. */
export function ensureContextManager(): void {
  if (contextManagerReady) return;
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
  contextManagerReady = true;
}

export interface SpanProcessorLike {
  onStart(span: any, parentContext: any): void;
  onEnd(span: any): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface TestProvider {
  tracer: Tracer;
  getTracer(name: string, version?: string): Tracer;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A provider with the given processors, never registered globally; `config` passes a sampler or an id generator. */
export function createProvider(processors: SpanProcessorLike[], config: { sampler?: unknown; idGenerator?: unknown } = {}): TestProvider {
  ensureContextManager();
  let provider: any;
  if (SDK_MAJOR === 1) {
    provider = new (sdk1 as any).BasicTracerProvider(config);
    for (const processor of processors) provider.addSpanProcessor(processor);
  } else {
    provider = new sdk2.BasicTracerProvider({ ...(config as object), spanProcessors: processors as any });
  }
  return {
    tracer: provider.getTracer("test"),
    getTracer: (name: string, version?: string) => provider.getTracer(name, version),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

export const { BatchSpanProcessor, SimpleSpanProcessor, InMemorySpanExporter } = sdk;
