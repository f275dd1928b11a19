/**
 * The README's promises, each with the tests that assert it.
 *
 * `claim` is a distinctive part of a README sentence, word for word (line
 * breaks and runs of spaces count as one space). `tests` names each test as
 * `"test/path/file.test.ts > title"`, or `"… > describe title > test title"`
 * when the title alone is ambiguous; a table-driven test is named by its
 * template (`"%s: …"`) or its row's `name`. A plain script (the Node 18
 * smoke run) is named by a line it contains. `benchmark` points a measured
 * figure at its section of BENCHMARKS.md, where each quoted figure must
 * appear. `test/readme/claims.test.ts` keeps every pair honest.
 */

export interface Claim {
  claim: string;
  tests?: string[];
  benchmark?: { section: string; figures: string[] };
}

const NODE_18_SMOKE = [
  "scripts/compat-matrix.mjs > const nodes = (process.env.COMPAT_NODES ?? \"18.19,20,22,24\")",
  "test/smoke/esm.mjs > await scenario.smoke({ root, otel, guard, devServer, sdk, api, label: \"ESM\" });",
  "test/smoke/cjs.cjs > label: \"CJS\",",
];

/** The conformance suite every framework runs (test/support/frameworks/suite.ts), by the suites that run it. */
const FRAMEWORK_SUITE = "test/support/frameworks/suite.ts > it(`${id}: exporter behind a batch span processor, and the processor, send the same events`";
const FRAMEWORK_SUITES = {
  openaiClientOpenInference: "test/frameworks/openai-client-openinference.test.ts > openinference",
  openaiClientOpenLLMetry: "test/frameworks/openai-client-openllmetry.test.ts > openllmetry",
  openaiAgents: "test/frameworks/openai-agents-openinference.test.ts > openai-agents+openinference",
  openaiAgentsChat: "test/frameworks/openai-agents-openinference.test.ts > openai-agents-chat+openinference",
  langchainOpenInference: "test/frameworks/langchain-openinference.test.ts > langchain+openinference",
  langchainOpenLLMetry: "test/frameworks/langchain-openllmetry.test.ts > langchain+openllmetry",
  mastraExporter: "test/frameworks/mastra.test.ts > mastra+otel-exporter",
  mastraBridge: "test/frameworks/mastra.test.ts > mastra+otel-bridge",
};

const OVERVIEW: Claim[] = [
  {
    claim: "a traced AI agent reporting to a built-in local receiver: no account needed",
    tests: [
      "test/examples/examples.test.ts > demo: without PERMISO_BASE_URL or PERMISO_API_KEY, its own receiver; never a viewer link that is already gone",
    ],
  },
  { claim: "the package itself runs on 18.19 and later", tests: NODE_18_SMOKE },
  {
    claim: "Code written for 0.1.x runs unchanged",
    tests: [
      "test/client/client.test.ts > posts the documented body and headers to {baseUrl}/hooks",
      "test/client/client.test.ts > endRun keeps the run id when the stop fails (returns {} or throws)",
      "test/client/client.test.ts > sendEventBackground returns at once, never throws, and flush() waits for it",
      "test/client/client-failures.test.ts > 500: not retried; {} by default, an error with status and body when raising",
    ],
  },
  {
    claim: "this version adds typed events, validation with readable errors, timeouts, retries, keep-alive connections and `flush()`",
    tests: [
      "test/client/client-validation.test.ts > throws a readable error naming the field, and sends nothing",
      "test/client/client-failures.test.ts > a request that stays hung fails with a timeout error",
      "test/client/client-failures.test.ts > 503 then success: retried with backoff, the answer returned",
      "test/client/client-defaults.test.ts > opens at most 16 connections at once by default",
      "test/client/client.test.ts > sendEventBackground returns at once, never throws, and flush() waits for it",
    ],
  },
  { claim: "No runtime dependencies.", tests: ["test/package/entries.test.ts > declares no runtime dependencies"] },
  {
    claim: "A trace becomes a run, a sub-agent a child run, model calls become user, agent and tool events, and the end of a run a `stop` with token usage.",
    tests: [
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
      "test/otel/ai-sdk-runs.test.ts > a sub-agent called as a tool gets a child run, stopped before its parent",
    ],
  },
  {
    claim: "Reads the OpenTelemetry GenAI conventions (newest and older forms), the Vercel AI SDK (`@ai-sdk/otel` and legacy `ai.*` spans), OpenInference, OpenLLMetry and Mastra.",
    tests: [
      "test/otel/ai-sdk-weather.test.ts > AI SDK 7 weather agent (%s spans) > sends the worked example's six events in order (%s)",
      "test/otel/conventions/genai-events.test.ts > Azure-style GenAI event spans through the bridge > send the run's events once each, in order, with one stop",
      "test/otel/conventions/genai-events.test.ts > GenAI 1.26 prompt/completion event spans through the bridge > send the run's events once each, in order, with one stop",
      "test/otel/conventions/openinference.test.ts > openinference spans through the bridge > send the run's events once each, in order, with one stop",
      "test/otel/conventions/openllmetry.test.ts > openllmetry spans through the bridge > send the run's events once each, in order, with one stop",
      "test/otel/conventions/mastra.test.ts > mastra spans through the bridge > send the run's events once each, in order, with one stop",
    ],
  },
  {
    claim: "OTLP/HTTP and OTLP/gRPC in, Permiso runs out, so agents in any language and any OpenTelemetry Collector can report without loading this package.",
    tests: [
      "test/gateway/gateway-equivalence.test.ts > sends exactly the requests the in-process exporter sends",
      "test/gateway/python-agents.test.ts > %s over OTLP %s becomes one run",
      "test/gateway/collector.test.ts > produce exactly the runs one gateway produces, each trace on one instance",
    ],
  },
  {
    claim: "validates like the real endpoint, shows runs live in a browser, and can deny tool calls the way Permiso does, so a guard can be tried without an account.",
    tests: [
      "test/dev-server/receiver.test.ts > answers 400 listing every problem by path: missing, unknown and mistyped fields",
      "test/dev-server/viewer.test.ts > updates live when events arrive, without reloading the page",
      "test/dev-server/receiver.test.ts > answers deny for --deny-tool names and matching policy rules, {} otherwise, and records the decision",
      "test/examples/examples.test.ts > demo: the guarded support agent, one tool allowed and one denied, the model answering with the reason",
    ],
  },
  { claim: "Node.js 18.19 or later. ESM and CommonJS.", tests: [...NODE_18_SMOKE, "test/examples/examples.test.ts > commonjs.cjs: the CommonJS build"] },
  {
    claim: "Each entry brings only what it needs, and everything beyond Node's built-ins is an optional peer, so nothing is downloaded that the code you call does not use",
    tests: [
      "test/package/entries.test.ts > declares no runtime dependencies",
      "test/package/entries.test.ts > declares every peer dependency optional",
    ],
  },
  {
    claim: "| `@permiso-io/custom-hooks-sdk` (the client, events, validation) | nothing: Node built-ins only |",
    tests: ["test/package/entries.test.ts > the root entry %s imports only Node built-ins"],
  },
  {
    claim: "| `/otel` (exporter, processor) | `@opentelemetry/api`, `@opentelemetry/core`; the SDK you already run (`sdk-trace-base` 1.x or 2.x) |",
    tests: [
      "test/package/entries.test.ts > %s imports only built-ins and its OpenTelemetry peers",
      "test/otel/sdk-shape.test.ts > sdk-trace-base ${SDK_MAJOR}.x spans have the ${SDK_MAJOR}.x shape, and read the same",
    ],
  },
  {
    claim: "| `/guard` | `@opentelemetry/api`; the framework whose hook you use, which your app already has (the entry imports none) |",
    tests: ["test/package/entries.test.ts > %s imports only built-ins and @opentelemetry/api, no framework"],
  },
  {
    claim: "| `/gateway` | `@opentelemetry/api`, `protobufjs` 8, `@grpc/grpc-js` 1.14 (see [Gateway](#gateway)) |",
    tests: [
      "test/package/entries.test.ts > %s loads its server stack (protobufjs, @grpc/grpc-js) only when a gateway starts: optional peers",
      "test/gateway/packaging.test.ts > %s: says what to install",
    ],
  },
  {
    claim: "| `/dev-server`, `permiso-hooks dev` | nothing beyond Node |",
    tests: ["test/package/entries.test.ts > the receiver and permiso-hooks dev run with nothing but Node installed"],
  },
];

const THREE_LINES: Claim[] = [
  {
    claim: "Add the exporter or the processor to the tracer setup you already have. Nothing in the agent changes.",
    tests: [
      "test/otel/setups/node-sdk-exporter.test.ts > delivers a whole run by sdk.shutdown()",
      "test/otel/setups/node-sdk-processor.test.ts > delivers a whole run, in order, by sdk.shutdown()",
      "test/otel/setups/node-tracer-provider.test.ts > delivers a run and creates no spans for its own requests",
      "test/otel/setups/vercel-otel.test.ts > delivers a whole run once the provider is flushed",
    ],
  },
  {
    claim: "The API key comes from `PERMISO_API_KEY` (or `apiKey`).",
    tests: [
      "test/examples/examples.test.ts > node-sdk.ts: NodeSDK with traceExporter, and no metrics or logs exporter holding the exit",
      "test/examples/examples.test.ts > vercel-otel.ts: registerOTel with traceExporter",
      "test/otel/setups/node-sdk-exporter.test.ts > delivers a whole run by sdk.shutdown()",
    ],
  },
  {
    claim: "new NodeSDK({ traceExporter: new PermisoSpanExporter() }).start(); // or: new NodeSDK({ spanProcessors: [new PermisoSpanProcessor()] })",
    tests: [
      "test/otel/setups/node-sdk-exporter.test.ts > delivers a whole run by sdk.shutdown()",
      "test/otel/setups/node-sdk-processor.test.ts > delivers a whole run, in order, by sdk.shutdown()",
      "test/examples/examples.test.ts > node-sdk.ts: NodeSDK with traceExporter, and no metrics or logs exporter holding the exit",
    ],
  },
  {
    claim: "new NodeTracerProvider({ spanProcessors: [new PermisoSpanProcessor()] }).register();",
    tests: [
      "test/otel/setups/node-tracer-provider.test.ts > delivers a run and creates no spans for its own requests",
      "test/examples/examples.test.ts > node-tracer-provider.ts: NodeTracerProvider with PermisoSpanProcessor, legacy ai.* spans",
    ],
  },
  {
    claim: 'registerOTel({ serviceName: "my-app", traceExporter: new PermisoSpanExporter() });',
    tests: [
      "test/otel/setups/vercel-otel.test.ts > delivers a whole run once the provider is flushed",
      "test/examples/examples.test.ts > vercel-otel.ts: registerOTel with traceExporter",
    ],
  },
  {
    claim: "With the AI SDK 7, register its OpenTelemetry integration as usual: `registerTelemetry(new OpenTelemetry())` (or `new LegacyOpenTelemetry()`) from `@ai-sdk/otel`.",
    tests: ["test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)"],
  },
  {
    claim: "Other frameworks need only their usual OpenTelemetry instrumentation (OpenInference, OpenLLMetry, Mastra's `@mastra/otel-exporter` or `@mastra/otel-bridge`)",
    tests: [FRAMEWORK_SUITE, ...Object.values(FRAMEWORK_SUITES)],
  },
  {
    claim: "The processor sees every span start, so it knows a span's run when the span ends and delivers its events then, unless a span above it that decides them is still open: a model call (the tools it asked for wait, so that its output comes first), or a span from an instrumentation that says what its spans are only at their end (Mastra's OpenTelemetry bridge) that could still turn out to be an agent.",
    tests: [
      "test/engine/release-policy.test.ts > a span under known spans goes out when it ends",
      "test/engine/release-policy.test.ts > a tool under an open model call waits for it: the call's output came first",
      "test/engine/release-policy.test.ts > a bare span from an instrumentation that says what it is only at its end keeps its children waiting",
      "test/engine/release-policy.test.ts > such a span that turns out to be a sub-agent while open takes its children into its own run",
    ],
  },
  {
    claim: "The exporter fits wherever a `SpanExporter` is expected (`traceExporter`, `@vercel/otel`, Mastra)",
    tests: [
      "test/otel/setups/node-sdk-exporter.test.ts > delivers a whole run by sdk.shutdown()",
      "test/otel/setups/vercel-otel.test.ts > delivers a whole run once the provider is flushed",
      FRAMEWORK_SUITES.mastraExporter,
    ],
  },
  {
    claim: "it holds a span's events until the span's run is known (when the enclosing agent or the local root arrives)",
    tests: [
      "test/engine/release-policy.test.ts > holds a span until the chain to its agent has arrived, then sends it in that agent's run",
      "test/engine/trace-graph.test.ts > an exporter's waiting span resolves once its chain arrives",
    ],
  },
  {
    claim: "Both send the same requests; the test suite feeds both the same spans and compares them.",
    tests: [
      "test/otel/ai-sdk-runs.test.ts > send identical requests for %s, run by run",
      "test/engine/recorded-runs.test.ts > %s: both release policies send the same requests",
      "test/engine/recorded-runs.test.ts > %s %s: both release policies send the same requests",
    ],
  },
  {
    claim: "Neither works on the host's call stack: `onStart`, `onEnd` and `export()` only record what they are handed, and the work is done in a microtask right after.",
    tests: [
      "test/otel/span-intake.test.ts > the processor's onStart and onEnd only record; the work happens right after the host's code",
      "test/otel/span-intake.test.ts > export() returns before the spans are read",
    ],
  },
  {
    claim: "**Serverless**: `await flushPermiso()` (from `/otel`; in `waitUntil` on Vercel) before the function freezes. When it resolves, every event released so far has been delivered or has finally failed, within `flushTimeoutMs` (30 s): what is still pending then is aborted and counted in `eventsFailed`. It never rejects.",
    tests: [
      "test/otel/flush-permiso.test.ts > a full batch on its own is acknowledged once queued; flushPermiso() delivers it, held spans included",
      "test/otel/flush-permiso.test.ts > against an endpoint that never answers, settles at flushTimeoutMs with every event aborted and counted, and never rejects",
      "test/otel/bridge-defaults.test.ts > flushTimeoutMs: 30000",
    ],
  },
  {
    claim: "`await provider.forceFlush()` gives the same guarantee for the processor, and for the exporter with the exceptions stated in [the flush guarantee](#the-flush-guarantee).",
    tests: [
      "test/otel/serverless.test.ts > %s: when provider.forceFlush() resolves, every event is delivered",
      "test/otel/serverless.test.ts > %s, an endpoint that never answers: the flush settles at its deadline, in-flight events aborted and counted",
    ],
  },
];

export const CLAIMS: Claim[] = [...OVERVIEW, ...THREE_LINES];
