/**
 * `npm run demo`: a real AI SDK agent, traced with OpenTelemetry, reported
 * to Permiso by the bridge. It follows PERMISO_BASE_URL / PERMISO_API_KEY
 * like any app using the SDK; with neither set it starts a local receiver
 * and shows what arrived, as a tree here and in the run viewer.
 *
 * A tool guard asks Permiso before each tool of the support agent runs: one
 * is allowed, one denied, and the model answers with the reason it was given.
 *
 * Each scene is one agent turn in its own trace; add a scene to `SCENES`.
 */
import { OpenTelemetry } from "@ai-sdk/otel";
import { SpanKind, trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { formatRunTree, RunStore } from "@permiso-io/custom-hooks-sdk/dev-server";
import { PermisoToolGuard } from "@permiso-io/custom-hooks-sdk/guard";
import { PermisoSpanProcessor } from "@permiso-io/custom-hooks-sdk/otel";
import { registerTelemetry } from "ai";
import { chooseDestination } from "./destination.js";
import { handleRefundRequest } from "./refund-desk.js";
import { planTrip } from "./trip-planner.js";

interface Scene {
  title: string;
  /** Runs the agent and returns its answer. */
  run(): Promise<string>;
}

const destination = await chooseDestination();
const interactive = Boolean(process.stdout.isTTY) && !process.env.CI;
console.log(`Reporting to ${destination.description}.`);

// What was sent, kept here to print the run tree wherever the events went.
const sent = destination.receiver?.store ?? new RunStore();

// The lines a real app adds to its tracing setup:
const permiso = new PermisoSpanProcessor({
  apiKey: destination.apiKey,
  baseUrl: destination.baseUrl,
  pricing: { "scripted-model": { input: 3, output: 15 } },
  ...(destination.receiver ? {} : { mask: (body) => (sent.add(structuredClone(body)), body) }),
});
const provider = new NodeTracerProvider({ spanProcessors: [permiso] });
provider.register();
registerTelemetry(new OpenTelemetry());
// Permiso decides before a tool runs (blocked if it cannot be asked), in the run the processor reports.
const guard = new PermisoToolGuard({ apiKey: destination.apiKey, baseUrl: destination.baseUrl, processor: permiso });

const SCENES: Scene[] = [
  { title: "A trip planner with a research sub-agent", run: () => planTrip("Plan a day in Lisbon for tomorrow.") },
  {
    title: "A support agent, guarded by Permiso",
    run: () => handleRefundRequest("My boots (order A-1042) arrived damaged. Please refund them.", guard),
  },
];

const tracer = trace.getTracer("demo-app");
for (const scene of SCENES) {
  const answer = await tracer.startActiveSpan(
    `POST /agent (${scene.title})`,
    { kind: SpanKind.SERVER, attributes: { "session.id": "demo-session", "user.id": "demo-user" } },
    async (span) => {
      try {
        return await scene.run();
      } finally {
        span.end();
      }
    },
  );
  console.log(`\n${scene.title}\nAgent answer: ${answer}`);
}
await provider.forceFlush();

console.log(`\n${formatRunTree(sent.runs(), { color: interactive })}`);
const stats = permiso.getStats();
console.log(`\n${stats.eventsDelivered} events delivered${stats.eventsFailed ? `, ${stats.eventsFailed} failed` : ""}.`);
const checks = guard.getStats();
console.log(
  `Tool guard: ${checks.allowed} allowed, ${checks.denied} denied by Permiso` +
    `${checks.failedClosed ? `, ${checks.failedClosed} blocked without an answer` : ""}.`,
);
await guard.close();

const { receiver } = destination;
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
  if (receiver) console.log("To browse these runs, start `npx permiso-hooks dev` and run the demo with PERMISO_BASE_URL set to its address.");
  await provider.shutdown();
  await receiver?.close();
}
