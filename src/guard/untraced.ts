/**
 * Runs the guard's request with tracing suppressed, so HTTP instrumentation
 * neither traces it under the agent's span nor starts a trace of its own.
 * The key is the one `@opentelemetry/core`'s `suppressTracing` sets (a test
 * checks they agree), so the guard needs only `@opentelemetry/api`.
 */
import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";

const SUPPRESS_TRACING_KEY = createContextKey("OpenTelemetry SDK Context Key SUPPRESS_TRACING");

export const UNTRACED_CONTEXT = ROOT_CONTEXT.setValue(SUPPRESS_TRACING_KEY, true);

export function untraced<T>(work: () => T): T {
  return context.with(UNTRACED_CONTEXT, work);
}
