/**
 * `npm run demo`: a real AI SDK agent, traced with OpenTelemetry, reported
 * to Permiso by the bridge. Without PERMISO_API_KEY it sends to a local
 * receiver started here and prints what arrived; with it, to Permiso.
 */
import { OpenTelemetry } from "@ai-sdk/otel";
import { SpanKind, trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { formatRunTree, RunStore, startDevServer, type DevServer } from "@permiso-io/custom-hooks-sdk/dev-server";
import { PermisoSpanProcessor } from "@permiso-io/custom-hooks-sdk/otel";
import { registerTelemetry } from "ai";
import { planTrip } from "./trip-planner.js";

const live = Boolean(process.env.PERMISO_API_KEY);
const interactive = process.stdout.isTTY && !process.env.CI;

async function startReceiver(): Promise<DevServer> {
  try {
    return await startDevServer({ port: Number(process.env.DEMO_PORT ?? 8787) });
  } catch {
    return startDevServer({ port: 0 });
  }
}

const receiver = live ? undefined : await startReceiver();
// In live mode there is no local receiver to ask, so keep a copy of what is sent.
const sent = new RunStore();

// The three lines a real app adds to its tracing setup:
const permiso = new PermisoSpanProcessor({
  ...(receiver ? { apiKey: "demo-key", baseUrl: receiver.url } : {}),
  pricing: { "scripted-model": { input: 3, output: 15 } },
  ...(live ? { mask: (body) => (sent.add(structuredClone(body)), body) } : {}),
});
const provider = new NodeTracerProvider({ spanProcessors: [permiso] });
provider.register();
registerTelemetry(new OpenTelemetry());

const tracer = trace.getTracer("demo-app");
const answer = await tracer.startActiveSpan(
  "POST /plan",
  { kind: SpanKind.SERVER, attributes: { "session.id": "demo-session", "user.id": "demo-user" } },
  async (span) => {
    try {
      return await planTrip("Plan a day in Lisbon for tomorrow.");
    } finally {
      span.end();
    }
  },
);
await provider.forceFlush();

const runs = (receiver?.store ?? sent).runs();
console.log(`\nAgent answer: ${answer}\n`);
console.log(formatRunTree(runs, { color: process.stdout.isTTY }));
const stats = permiso.getStats();
console.log(
  `\n${stats.eventsDelivered} events delivered to ${live ? process.env.PERMISO_BASE_URL ?? "https://alb.permiso.io" : receiver!.url}` +
    (stats.eventsFailed ? `, ${stats.eventsFailed} failed` : ""),
);

if (receiver && interactive) {
  console.log(`\nRun viewer: ${receiver.url}/  (Ctrl+C to stop)`);
  const stop = async () => {
    await provider.shutdown();
    await receiver.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} else {
  if (receiver) console.log(`Run viewer (while running): ${receiver.url}/`);
  await provider.shutdown();
  await receiver?.close();
}
