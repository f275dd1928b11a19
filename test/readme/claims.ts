/**
 * The README's promises, each with the tests that assert it.
 *
 * `claim` is a distinctive part of a README sentence, word for word (line
 * breaks and runs of spaces count as one space). `tests` names each test as
 * `"test/path/file.test.ts > title"`, or `"… > describe title > test title"`
 * when the title alone is ambiguous; a table-driven test is named by its
 * template (`"%s: …"`) or its row's `name`. A plain script (the Node 18
 * smoke run) is named by a line it contains. `benchmark` points a measured
 * figure at its file in bench/ and its section of BENCHMARKS.md, where
 * each quoted figure must appear. `test/readme/claims.test.ts` keeps every pair honest.
 */

export interface Claim {
  claim: string;
  tests?: string[];
  /** The benchmark that measures a figure, the section of BENCHMARKS.md that reports it, and the figures quoted. */
  benchmark?: { file: string; section: string; figures: string[] };
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
  genkit: "test/frameworks/genkit.test.ts > genkit",
  genkitAgent: "test/frameworks/genkit.test.ts > genkit-agent",
};

/** Genkit's own telemetry handed the bridge, as the README's Genkit setup does it. */
const GENKIT_TELEMETRY =
  "test/frameworks/genkit-telemetry.test.ts > Genkit's own telemetry, given the bridge as a processor and as an exporter, sends the run of a flow with a tool";
const GENKIT_READER = "test/otel/conventions/genkit.test.ts > genkit reader";

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
    claim: "Reads the OpenTelemetry GenAI conventions (newest and older forms), the Vercel AI SDK (`@ai-sdk/otel` and legacy `ai.*` spans), OpenInference, OpenLLMetry, Mastra and Genkit.",
    tests: [
      "test/otel/ai-sdk-weather.test.ts > AI SDK 7 weather agent (%s spans) > sends the worked example's six events in order (%s)",
      "test/otel/conventions/genai-events.test.ts > Azure-style GenAI event spans through the bridge > send the run's events once each, in order, with one stop",
      "test/otel/conventions/genai-events.test.ts > GenAI 1.26 prompt/completion event spans through the bridge > send the run's events once each, in order, with one stop",
      "test/otel/conventions/openinference.test.ts > openinference spans through the bridge > send the run's events once each, in order, with one stop",
      "test/otel/conventions/openllmetry.test.ts > openllmetry spans through the bridge > send the run's events once each, in order, with one stop",
      "test/otel/conventions/mastra.test.ts > mastra spans through the bridge > send the run's events once each, in order, with one stop",
      "test/frameworks/genkit.test.ts > genkit",
    ],
  },
  {
    claim: "OTLP/HTTP and OTLP/gRPC in, Permiso runs out, so agents in any language and any OpenTelemetry Collector can report without loading this package.",
    tests: [
      "test/gateway/gateway-equivalence.test.ts > sends exactly the requests the in-process exporter sends",
      "test/gateway/python-agents.test.ts > %s over OTLP %s becomes one run",
      "test/gateway/collector.test.ts > produce exactly the runs one gateway produces, each trace on one instance, and both instances take traces",
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
    claim: "| `/gateway` | `@opentelemetry/api`, `@grpc/grpc-js` 1.14 (see [Gateway](#gateway)) |",
    tests: [
      "test/package/entries.test.ts > %s loads its server stack (@grpc/grpc-js) only when a gateway starts: an optional peer",
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
    claim: "Other frameworks need only their usual OpenTelemetry instrumentation (OpenInference, OpenLLMetry, Mastra's `@mastra/otel-exporter` or `@mastra/otel-bridge`, Genkit's `enableTelemetry`)",
    tests: [FRAMEWORK_SUITE, ...Object.values(FRAMEWORK_SUITES), GENKIT_TELEMETRY],
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

const CLIENT: Claim[] = [
  {
    claim: 'await hooks.endRun(); // sends "stop", then rotates to a new run id',
    tests: ["test/client/client.test.ts > endRun sends stop with end_turn by default, then rotates the run id"],
  },
  {
    claim: "| `apiKey` | `PERMISO_API_KEY` | Permiso agent API secret (A2M Keys tab). Missing: construction throws `apiKey is required: pass { apiKey } or set the PERMISO_API_KEY environment variable`. |",
    tests: [
      "test/client/client-config.test.ts > reads PERMISO_API_KEY and PERMISO_BASE_URL when not given",
      "test/client/client-config.test.ts > prefers explicit options over the environment",
      "test/client/client-config.test.ts > fails at construction without a key, or with a bad URL or option",
    ],
  },
  {
    claim: "| `baseUrl` | `PERMISO_BASE_URL`, then `https://alb.permiso.io` | Base URL without `/hooks`; one trailing slash is ignored. |",
    tests: [
      "test/client/client-config.test.ts > reads PERMISO_API_KEY and PERMISO_BASE_URL when not given",
      "test/client/client-config.test.ts > defaults to https://alb.permiso.io",
      "test/client/client.test.ts > strips one trailing slash from baseUrl",
    ],
  },
  {
    claim: "| `parentRunId` | – | Sent on every request: links this client's runs to a parent run (sub-agents). |",
    tests: ["test/client/client.test.ts > a sub-agent client carries the parent's run id", "test/client/client.test.ts > includes parentRunId, sessionId, user and agent only when set"],
  },
  {
    claim: "| `agent` | – | `{ systemPrompt?, name?, id? }`, sent as `agent` on every request. |",
    tests: ["test/client/client.test.ts > includes parentRunId, sessionId, user and agent only when set", "test/client/client.test.ts > setAgent merges; an explicit undefined clears a field"],
  },
  {
    claim: "| `systemPrompt` | – | Sets (and overrides) `agent.systemPrompt`. |",
    tests: ["test/client/client.test.ts > includes parentRunId, sessionId, user and agent only when set"],
  },
  { claim: "| `sessionId` | – | Sent as `sessionId`. |", tests: ["test/client/client.test.ts > includes parentRunId, sessionId, user and agent only when set"] },
  { claim: "| `user` | – | `{ email?, id?, name? }`, sent as `user`. |", tests: ["test/client/client.test.ts > includes parentRunId, sessionId, user and agent only when set"] },
  {
    claim: "| `raiseOnError` | `false` | `false`: failures return `{}`. `true`: they throw `PermisoCustomHooksError`. |",
    tests: [
      "test/client/client-failures.test.ts > 500: not retried; {} by default, an error with status and body when raising",
      "test/client/client-failures.test.ts > network down: {} by default; the cause kept when raising",
    ],
  },
  {
    claim: "| `validate` | `false` | Check each event against the schema before sending; a bad event is refused with a message naming the field. |",
    tests: [
      // Without `validate`, an event no schema allows is sent as given.
      "test/client/client.test.ts > sends event {} when data is omitted, and a shallow copy otherwise",
      "test/client/client-validation.test.ts > throws a readable error naming the field, and sends nothing",
      "test/client/client-validation.test.ts > returns {} and reports through onError when not raising",
    ],
  },
  {
    claim: "| `timeoutMs` | `10000` | Limit for one attempt, connect to last byte. |",
    tests: [
      "test/client/client-defaults.test.ts > timeoutMs 10000, maxRetries 3, maxSockets 16",
      "test/client/client-failures.test.ts > a hung request is cut at timeoutMs and retried",
      "test/reliability/client-faults.test.ts > a hung endpoint: every attempt is cut at timeoutMs",
    ],
  },
  {
    claim: "| `maxRetries` | `3` | Retries after the first attempt, for 429, 502, 503, 504, timeouts and network errors. |",
    tests: [
      "test/client/client-defaults.test.ts > retries three times by default: four attempts in all",
      "test/client/client-failures.test.ts > 502, 504 and connection resets are retried up to maxRetries, then reported",
      "test/client/client-failures.test.ts > maxRetries: 0 makes a single attempt",
      "test/transport/retry-policy.test.ts > retries 429, 502, 503, 504 only",
    ],
  },
  { claim: "| `maxSockets` | `16` | Keep-alive sockets to the endpoint at most. |", tests: ["test/client/client-defaults.test.ts > opens at most 16 connections at once by default"] },
  {
    claim: "| `onError` | a console warning at most once a minute | Told of every failure the client does not throw (with `raiseOnError: false`, and for background sends). |",
    tests: [
      "test/client/client-defaults.test.ts > warns at most once a minute, then says how many failures it held back",
      "test/client/client-defaults.test.ts > is what a client without onError uses: one console warning for a burst of failures",
      "test/client/client-failures.test.ts > is told of swallowed failures; a throwing handler is contained",
      "test/client/client.test.ts > reports background failures through onError",
    ],
  },
  {
    claim: "posts `{hookEvent, runId, bourneVersion: \"v2\", clientSentAtMs, event}` (plus `parentRunId`, `sessionId`, `user`, `agent` when set) to `{baseUrl}/hooks` and returns the server's answer (`{}` for an empty body; possibly `{permission: \"deny\", agent_message}`).",
    tests: [
      "test/client/client.test.ts > posts the documented body and headers to {baseUrl}/hooks",
      "test/client/client.test.ts > includes parentRunId, sessionId, user and agent only when set",
      "test/client/client.test.ts > returns the server's decision to the caller",
      "test/client/client.test.ts > treats an empty body and 204 as {}",
    ],
  },
  {
    claim: "`data` is a typed event (`HookEventPayload`) or any object; omitted, `event` is `{}`.",
    tests: ["test/client/client.test.ts > sends event {} when data is omitted, and a shallow copy otherwise"],
  },
  {
    claim: "the same request, started and not awaited. Never throws or rejects, even with `raiseOnError`; failures go to `onError`.",
    tests: ["test/client/client.test.ts > sendEventBackground returns at once, never throws, and flush() waits for it", "test/client/client.test.ts > reports background failures through onError"],
  },
  {
    claim: "resolves when every send started so far (background ones included) has finished.",
    tests: ["test/client/client.test.ts > sendEventBackground returns at once, never throws, and flush() waits for it"],
  },
  {
    claim: "waits for background sends in flight, sends `stop` with `{source: \"stop\", stopReason}`, and rotates to a new run id only if the stop succeeded (on failure the run id is kept, so the run can be retried).",
    tests: [
      "test/client/client.test.ts > endRun waits for background sends of the run, so stop arrives last",
      "test/client/client.test.ts > endRun sends stop with end_turn by default, then rotates the run id",
      "test/client/client.test.ts > endRun keeps the run id when the stop fails (returns {} or throws)",
    ],
  },
  {
    claim: "the current run id (a UUID made in the constructor). Pass it as `parentRunId` to a sub-agent's client.",
    tests: ["test/client/client.test.ts > creates a v4 run id in the constructor and keeps it across events", "test/client/client.test.ts > a sub-agent client carries the parent's run id"],
  },
  {
    claim: "change what later requests carry. `setAgent` and `setUser` merge; `undefined` clears a field in `setAgent` and clears the prompt or session; `agent`/`user` are omitted when empty.",
    tests: [
      "test/client/client.test.ts > setSystemPrompt sets and clears; agent is omitted when empty",
      "test/client/client.test.ts > setAgent merges; an explicit undefined clears a field",
      "test/client/client.test.ts > setUser merges and keeps fields not given",
      "test/client/client.test.ts > setSessionId sets, replaces and clears",
    ],
  },
  {
    claim: "**`close() → Promise<void>`**: flushes, then closes pooled connections.",
    tests: ["test/client/client-defaults.test.ts > close() waits for sends in flight, then closes its pooled connections"],
  },
  {
    claim: "Idle keep-alive sockets never keep the process alive, so this is optional.",
    tests: ["test/client/client-defaults.test.ts > idle keep-alive sockets never keep the process alive"],
  },
  {
    claim: "`HookEventPayload` is a discriminated union of every variant the endpoint accepts",
    tests: ["test/protocol/validate.test.ts > accepts every documented variant"],
  },
  {
    claim: "Every variant takes `eventId` and `timestamp` (epoch ms or ISO-8601). No other keys are allowed.",
    tests: [
      "test/protocol/validate.test.ts > accepts every documented variant",
      "test/protocol/validate.test.ts > checks value types, stop reasons and usage",
      "test/protocol/validate.test.ts > names agent-only fields on user events and unknown keys",
    ],
  },
  {
    claim: "`validateEvent(event)` and `validateHookBody(body)` return every problem as `{path, message}`; `formatIssues` joins them into one line",
    tests: [
      "test/protocol/validate.test.ts > formatIssues joins every problem into one line, as the README shows",
      "test/protocol/validate.test.ts > accepts a well-formed body and rejects unknown or mistyped top-level fields",
    ],
  },
  {
    claim: "// event.toolUseId is required for type \"tool_use\"; event.model is only allowed when source is \"agent\"",
    tests: ["test/protocol/validate.test.ts > formatIssues joins every problem into one line, as the README shows"],
  },
  {
    claim: "`PermisoCustomHooksError` has `message`, `status?` (HTTP status), `body?` (raw response), `cause?` (the network error) and `kind` (`configuration`, `validation`, `serialization`, `http`, `network`, `timeout`, `invalid_response`).",
    tests: [
      "test/client/client-config.test.ts > a construction error is a PermisoCustomHooksError of kind configuration",
      "test/client/client-validation.test.ts > throws a readable error naming the field, and sends nothing",
      "test/client/client-failures.test.ts > names the circular or BigInt field, and sends nothing",
      "test/client/client-failures.test.ts > 500: not retried; {} by default, an error with status and body when raising",
      "test/client/client-failures.test.ts > network down: {} by default; the cause kept when raising",
      "test/client/client-failures.test.ts > a request that stays hung fails with a timeout error",
      "test/client/client-failures.test.ts > invalid JSON in a 2xx answer",
    ],
  },
  {
    claim: "Messages match 0.1.x (`API error: 500 Internal Server Error`, `Invalid JSON response from Custom Hooks API`)",
    tests: ["test/client/client-failures.test.ts > 500: not retried; {} by default, an error with status and body when raising", "test/client/client-failures.test.ts > invalid JSON in a 2xx answer"],
  },
  {
    claim: "a 400 adds the server's problems in one line (`API error: 400 Bad Request: event.toolUseId: Required`).",
    tests: ["test/client/client-failures.test.ts > 400: not retried, the server's problems summarised in one line", "test/protocol/error-summary.test.ts > keeps reading ordinary validation output"],
  },
  {
    claim: "Data JSON cannot encode is refused naming the field (`Failed to serialize request body: event.input.self is a circular reference`).",
    tests: ["test/client/client-failures.test.ts > names the circular or BigInt field, and sends nothing"],
  },
  {
    claim: "The API key never appears in an error, a log line or `util.inspect(client)`.",
    tests: ["test/client/client.test.ts > never shows the API key in inspect, JSON or errors", "test/client/client.test.ts > never shows the API key in the default onError's console warning"],
  },
  { claim: "Each attempt is cut at `timeoutMs`.", tests: ["test/client/client-failures.test.ts > a hung request is cut at timeoutMs and retried", "test/reliability/client-faults.test.ts > a hung endpoint: every attempt is cut at timeoutMs"] },
  {
    claim: "429, 502, 503, 504, timeouts and network errors (`ECONNRESET`, `ECONNREFUSED`, `EPIPE`, `ETIMEDOUT`, `EAI_AGAIN`, `ENOTFOUND`, …) are retried up to `maxRetries` times",
    tests: [
      "test/transport/retry-policy.test.ts > retries 429, 502, 503, 504 only",
      "test/transport/retry-policy.test.ts > retries transient network errors, including fetch's wrapped ones",
      "test/client/client-failures.test.ts > 502, 504 and connection resets are retried up to maxRetries, then reported",
      "test/client/client-failures.test.ts > a hung request is cut at timeoutMs and retried",
    ],
  },
  {
    claim: "waiting 0.5 s, 1 s, 2 s, … (capped at 5 s) with ±20 % jitter",
    tests: ["test/transport/retry-policy.test.ts > backs off exponentially within ±20 % and caps at 5 s", "test/transport/retrying-transport.test.ts > retries with exponential backoff up to maxRetries"],
  },
  {
    claim: "a `Retry-After` header (seconds or an HTTP date) is honoured, and one longer than a minute ends the retries.",
    tests: [
      "test/transport/retry-policy.test.ts > reads Retry-After as seconds or an HTTP date",
      "test/transport/retrying-transport.test.ts > lets Retry-After win, and gives up when it is longer than a minute",
      "test/client/client-failures.test.ts > 429 with Retry-After in seconds is honoured",
      "test/client/client-failures.test.ts > 429 with Retry-After as an HTTP date is honoured",
    ],
  },
  {
    claim: "No other status is retried (a 500 included, as in the OTLP exporters).",
    tests: ["test/transport/retry-policy.test.ts > retries 429, 502, 503, 504 only", "test/client/client-failures.test.ts > 500: not retried; {} by default, an error with status and body when raising"],
  },
  {
    claim: "Requests use a keep-alive `node:http(s)` agent (falling back to `fetch` where `node:http` does not exist)",
    tests: ["test/client/client.test.ts > posts the documented body and headers to {baseUrl}/hooks", "test/client/client-defaults.test.ts > falls back to fetch where node:http does not exist"],
  },
  {
    claim: "send `User-Agent: permiso-io-custom-hooks-sdk/<version> (node <Node version>)`, e.g. `permiso-io-custom-hooks-sdk/0.2.0 (node v20.20.2)` (`(js)` where there is no `process.version`).",
    tests: [
      "test/client/client-defaults.test.ts > sends User-Agent permiso-io-custom-hooks-sdk/<version> (node <version>)",
      "test/client/client-defaults.test.ts > says (js) in its User-Agent where there is no process.version",
      "test/client/client-config.test.ts > SDK_VERSION matches package.json",
    ],
  },
];

const BRIDGE: Claim[] = [
  {
    claim: "Both take the client's transport options (`apiKey`, `baseUrl`, `timeoutMs`, `maxRetries`, `maxSockets`) and the options below.",
    tests: [
      "test/otel/options.test.ts > takes the client's timeoutMs and maxRetries",
      "test/otel/options.test.ts > takes the client's maxSockets",
      "test/otel/setups/node-sdk-exporter.test.ts > delivers a whole run by sdk.shutdown()",
    ],
  },
  {
    claim: "Both expose `forceFlush()`, `shutdown()` (never reject) and `getStats()` (spans seen, skipped or late; events queued, delivered, failed, dropped, withheld or invalid; parts skipped; mask failures).",
    tests: [
      "test/otel/construction.test.ts > counts spans seen, skipped and late; events queued, delivered, failed, dropped, withheld and invalid; parts skipped; mask failures",
      "test/otel/flush-permiso.test.ts > against an endpoint that never answers, settles at flushTimeoutMs with every event aborted and counted, and never rejects",
      "test/otel/delivery-behaviour.test.ts > shutdown() returns within flushTimeoutMs against a dead backend, and later exports fail at once",
    ],
  },
  {
    claim: "Options are checked when the exporter or processor is constructed: a wrong value (a count of 0 or less, a non-number, `NaN`, a duration past what a timer can wait, a wrong type) throws an error named `ConfigurationError` that names the option and what it accepts, e.g. `maxConcurrentRequests must be a positive integer (got 0)`.",
    tests: ["test/otel/construction.test.ts > %j throws at construction, with or without a key", "test/engine/settings.test.ts > refuses %s = %j"],
  },
  {
    claim: "A missing API key does not throw: a deployment without `PERMISO_API_KEY` keeps running, and the bridge reports once through `diag` (error level), sends nothing, counts every event it would have sent in `eventsDropped`, and lets `export()` succeed so the SDK does not log each batch.",
    tests: [
      "test/otel/construction.test.ts > the processor reports once at error level, sends nothing and counts what it drops",
      "test/otel/construction.test.ts > the exporter does the same, and its exports succeed so the SDK does not log every batch",
    ],
  },
  {
    claim: "| `captureContent` | `true` | `false` sends no message text, reasoning, tool input or output, images, documents or system prompts. Runs keep their shape: text events carry `[content not captured]`, tool events keep `name`, `toolUseId`, `isError`. Identity (user, agent name, session) is kept. |",
    tests: [
      "test/otel/options.test.ts > keeps the run's shape without its content",
      "test/otel/options.test.ts > sends no reasoning, image, tool input or output, and keeps the events that carry no content",
      "test/engine/content-policy.test.ts > drops content, keeps shape and identity",
      "test/examples/examples.test.ts > node-tracer-provider.ts with content capture off",
    ],
  },
  {
    claim: "| `mask` | – | `(body) => body \\| null`, may be async. Sees each outgoing request body after truncation, stops included; returns it changed, or `null` to drop it. If it throws or returns an invalid body, content fields become `[redacted: mask failed]` or are removed: content is never sent unmasked. |",
    tests: [
      "test/otel/options.test.ts > sees each final body, may change it or drop it, and may be async",
      "test/otel/options.test.ts > sees each body after truncation",
      "test/otel/options.test.ts > fails closed when it throws: content redacted, never sent unmasked",
      "test/otel/options.test.ts > fails closed when it returns an invalid body",
      "test/engine/content-policy.test.ts > passes a copy, so a mask that mutates then throws cannot leak",
    ],
  },
  {
    claim: "| `maxFieldLength` | `100000` | Longest string in any content field (`text`, `thinking`, tool `content`, tool `input` as JSON text, blob data, `systemPrompt`); longer ones end with `…[truncated N chars]`. |",
    tests: [
      "test/otel/bridge-defaults.test.ts > maxFieldLength: 100000",
      "test/otel/options.test.ts > truncates content fields with a visible marker and keeps JSON valid",
      "test/engine/content-policy.test.ts > limits text, tool input (as JSON text), tool output, blobs and the system prompt",
      "test/engine/content-policy.test.ts > never exceeds the limit and says how much was cut",
      "test/reliability/bad-input.test.ts > multi-megabyte content is truncated to maxFieldLength, quickly",
    ],
  },
  {
    claim: "| `shouldExportSpan` | `isDefaultExportSpan` | Which spans may produce events. Filtered spans still link model calls to their agents. Extend the default: `(span) => isDefaultExportSpan(span) && span.name !== \"chat internal\"`. |",
    tests: ["test/otel/options.test.ts > extends the exported default: filtered spans produce nothing but keep the chain", "test/otel/options.test.ts > the default exports AI spans only"],
  },
  {
    claim: "| `pricing` | – | Prices per million tokens by model, `{ [model]: { input, output, cacheRead?, cacheWrite?, currency? } }` or a function; adds `usage.cost` to stops. Omitted when any model of the run has no price. |",
    tests: [
      "test/otel/options.test.ts > adds usage.cost to the stop from per-million prices",
      "test/otel/options.test.ts > omits cost when a model has no price rather than report a partial one",
      "test/engine/run-summary.test.ts > prices uncached input, output and cache tokens per million",
      "test/engine/run-summary.test.ts > accepts a lookup function, and gives nothing for unknown models, mixed currencies or a throwing lookup",
    ],
  },
  {
    claim: "| `agent`, `sessionId`, `user` | – | Used where spans say nothing; never override what a span says. |",
    tests: ["test/otel/options.test.ts > fills in what spans do not say, and never overrides what they do"],
  },
  {
    claim: "| `maxConcurrentRequests` | `8` | Runs delivering at once (each sends one request at a time). |",
    tests: ["test/otel/bridge-defaults.test.ts > maxConcurrentRequests: 8", "test/otel/delivery-behaviour.test.ts > sends each run's events one at a time, in order, while runs go in parallel"],
  },
  {
    claim: "| `maxQueueSize` | `10000` | Events waiting to be sent; beyond it new events are dropped, counted and reported. Stops have a reserve of `max(16, maxQueueSize / 10)` more, so runs still close while events are being dropped. |",
    tests: [
      "test/otel/bridge-defaults.test.ts > maxQueueSize: 10000, and a reserve of max(16, maxQueueSize / 10) = 1000 more for stops",
      "test/engine/delivery.test.ts > bounds waiting events, keeps a reserve for stops, and bounds that too",
      "test/otel/delivery-behaviour.test.ts > drops beyond maxQueueSize, counts it, reports once per burst, and keeps room for stops",
    ],
  },
  {
    claim: "| `exportTimeoutMs` | `25000` | Exporter: how long an export that waits for delivery (every export but a lone full batch) waits; what is still pending then is aborted and counted as failed. Inside the BatchSpanProcessor's own 30 s. |",
    tests: ["test/otel/bridge-defaults.test.ts > exportTimeoutMs: 25000", "test/otel/delivery-behaviour.test.ts > reports FAILED at exportTimeoutMs while the endpoint hangs"],
  },
  {
    claim: "| `flushTimeoutMs` | `30000` | Deadline of `forceFlush()`, `flushPermiso()` and `shutdown()`; what is still pending then is aborted and counted as failed. |",
    tests: [
      "test/otel/bridge-defaults.test.ts > flushTimeoutMs: 30000",
      "test/otel/flush-permiso.test.ts > against an endpoint that never answers, settles at flushTimeoutMs with every event aborted and counted, and never rejects",
      "test/otel/delivery-behaviour.test.ts > shutdown() returns within flushTimeoutMs against a dead backend, and later exports fail at once",
    ],
  },
  {
    claim: "| `holdTimeoutMs` | `60000` | Exporter: how long a span waits for its run to be known; then it is sent with what is known, at the next check (every 5 s, or every quarter of `holdTimeoutMs` when that is shorter). |",
    tests: [
      "test/otel/bridge-defaults.test.ts > holdTimeoutMs: 60000, checked every 5 s",
      "test/otel/held-spans.test.ts > are sent once holdTimeoutMs passes, even if their agent never arrives",
      "test/engine/engine.test.ts > sends what it held once holdTimeoutMs passes, with what is known",
    ],
  },
  {
    claim: "| `maxHeldSpans` | `20000` | Exporter: spans held at most; past it the oldest traces are sent with what is known. |",
    tests: ["test/otel/bridge-defaults.test.ts > maxHeldSpans: 20000", "test/engine/engine.test.ts > past maxHeldSpans, lets go of the oldest traces first"],
  },
];

const SPANS_TO_EVENTS: Claim[] = [
  {
    claim: "| a new user message | `{source: \"user\", type: \"text\", text}` | `user_prompt` |",
    tests: ["test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)"],
  },
  {
    claim: "| assistant text | `{source: \"agent\", type: \"text\", text, model, temperature?, maxTokens?, topP?, topK?}` | `assistant_message` |",
    tests: [
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
      "test/engine/run-composer.test.ts > carries the model and its settings on what it said, reasoning with its signature, and a file as a document",
      "test/otel/conventions/openinference.test.ts > reads settings from llm.invocation_parameters, and cache tokens (OpenAI Agents, recorded)",
    ],
  },
  {
    claim: "| assistant reasoning | `{source: \"agent\", type: \"thinking\", thinking, signature?, model, …}` (the same model fields) | `assistant_thinking` |",
    tests: [
      "test/otel/ai-sdk-conversations.test.ts > reasoning, an image and a failing tool (%s)",
      "test/engine/run-composer.test.ts > carries the model and its settings on what it said, reasoning with its signature, and a file as a document",
    ],
  },
  {
    claim: "| a tool call (model output, or a tool span) | `{source: \"agent\", type: \"tool_use\", name, toolUseId, input, model?}` (the model when its output said it) | the tool's name |",
    tests: [
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
      "test/engine/run-composer.test.ts > a tool call seen on the model's output and on the tool's span is sent once, its result after it",
      "test/engine/run-composer.test.ts > a tool no call asked for, finished before a call began, comes before that call",
    ],
  },
  {
    claim: "| a tool's result (tool span, or tool message) | `{source: \"agent\", type: \"tool_result\", toolUseId, name, content, isError?}` | the tool's name |",
    tests: [
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
      "test/otel/ai-sdk-conversations.test.ts > reasoning, an image and a failing tool (%s)",
      "test/otel/options.test.ts > extends the exported default: filtered spans produce nothing but keep the chain",
    ],
  },
  {
    claim: "| image / file parts | `{type: \"image\", image}` / `{type: \"document\", document}` | `user_prompt` or `assistant_message` |",
    tests: [
      "test/otel/ai-sdk-conversations.test.ts > reasoning, an image and a failing tool (%s)",
      "test/engine/run-composer.test.ts > carries the model and its settings on what it said, reasoning with its signature, and a file as a document",
    ],
  },
  {
    claim: "| the end of a run | `{source: \"stop\", stopReason, usage}` | `stop` |",
    tests: ["test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)"],
  },
  {
    claim: "| system instructions | `agent.systemPrompt` on every request, never an event | – |",
    tests: ["test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)", "test/otel/options.test.ts > fills in what spans do not say, and never overrides what they do"],
  },
  {
    claim: "| embeddings, reranking, unknown parts | skipped and counted | – |",
    tests: [
      "test/otel/span-edge-cases.test.ts > an embedding is skipped and counted, and the run around it is sent whole",
      "test/engine/run-composer.test.ts > parts no event can express are skipped and counted",
      "test/otel/conventions/openinference.test.ts > names skipped work and reads nothing from other kinds",
    ],
  },
  {
    claim: "The first call of an agent sends only what follows the last assistant message (the new user turn, any tool results); later calls send only what the run has not sent.",
    tests: [
      "test/engine/run-composer.test.ts > the first call sends only what follows the last assistant message",
      "test/engine/run-composer.test.ts > a later call sends only what the run has not sent",
      "test/engine/run-composer.test.ts > remembers across compositions: what a run sent is not sent again",
      "test/otel/ai-sdk-conversations.test.ts > a second turn sends only the new message, not the history (%s)",
    ],
  },
  {
    claim: "A tool call and its result are sent once per `toolUseId`, however many spans mention them.",
    tests: ["test/engine/run-composer.test.ts > a tool call seen on the model's output and on the tool's span is sent once, its result after it", "test/support/bridge-harness.ts > tool_use ${String(event.toolUseId)} sent once"],
  },
  {
    claim: "Within a run, events go in the order things happened, causality first: calls by conversation length, a call's output after its input, a tool's result after its use. Timestamps never go backwards within a run.",
    tests: [
      "test/engine/run-composer.test.ts > calls go by conversation length, whatever their clocks say",
      "test/engine/run-composer.test.ts > never lets timestamps go back within a run",
      "test/otel/conventions/ai-sdk-recorded.test.ts > the legacy spans alone say when the response came, which orders a model's output before its tools",
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
    ],
  },
  {
    claim: "`eventId` is derived from the run, the span and the part's position (`<runId>:<spanId>:o0.1`, `<runId>:tool_use:<toolUseId>`), so a retried or re-exported event is recognisable.",
    tests: [
      "test/otel/bridge-claims.test.ts > <runId>:<spanId>:<slot> for content, <runId>:tool_use|tool_result:<toolUseId> for tools, <runId>:stop",
      "test/otel/conventions/openinference.test.ts > send the same events, with the same ids, from an exporter and a processor",
      "test/reliability/client-faults.test.ts > 200 background events through a burst: all delivered, duplicates share an eventId",
    ],
  },
  {
    claim: "`timestamp` is when the part happened, in whole epoch milliseconds.",
    tests: [
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
      "test/otel/ai-sdk-runs.test.ts > an agent inside an HTTP server span: one run, stopped when the request ends, identity from the request",
    ],
  },
  {
    claim: "`agent.name`/`agent.id` from the agent span (`gen_ai.agent.*`, the AI SDK `functionId`, OpenInference `agent.name`)",
    tests: [
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
      "test/otel/conventions/mastra.test.ts > reads an agent run: ids, raw-string instructions, and its own input/output as a call (recorded)",
      "test/otel/conventions/openinference.test.ts > reads an AGENT span: name, and its input/output as a call when they hold text or messages",
    ],
  },
  {
    claim: "`sessionId` from `gen_ai.conversation.id`, `session.id` or the AI SDK's runtime context; `user` from `user.id`, `enduser.id`, `user.email`, `user.full_name` or the AI SDK's runtime context, the nearest span first.",
    tests: [
      "test/otel/bridge-claims.test.ts > reads enduser.id, user.email, user.full_name and gen_ai.conversation.id, the nearest span first",
      "test/otel/ai-sdk-runs.test.ts > an agent inside an HTTP server span: one run, stopped when the request ends, identity from the request",
      "test/otel/bridge-claims.test.ts > reads runtimeContext.sessionId and .userId when the telemetry includes them",
    ],
  },
  {
    claim: "(The AI SDK records `runtimeContext: { sessionId, userId }` when `telemetry.includeRuntimeContext` names those keys; `new OpenTelemetry()` also needs `runtimeContext: true`.)",
    tests: ["test/otel/bridge-claims.test.ts > reads runtimeContext.sessionId and .userId when the telemetry includes them"],
  },
  {
    claim: "**Tool results** are strings (JSON text for structured results); tool inputs are the parsed arguments.",
    tests: ["test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)"],
  },
  {
    claim: "Conventions read, each by its own reader, in the order they are tried",
    tests: ["test/readme/conventions-table.test.ts > lists every reader in the registry's order"],
  },
  {
    claim: "| `ai-sdk`: Vercel AI SDK `ai.*` (≤6, and 7's `LegacyOpenTelemetry`) | `ai.operationId` |",
    tests: [
      "test/otel/conventions/ai-sdk-recorded.test.ts > every AI span of every recorded run is read by its convention's reader",
      "test/otel/conventions/openinference.test.ts > leaves AI SDK spans annotated by @arizeai/openinference-vercel to the AI SDK reader",
    ],
  },
  {
    claim: "| `openinference`: OpenInference | `openinference.span.kind` |",
    tests: [
      "test/otel/conventions/openinference.test.ts > is chosen for any span with openinference.span.kind, before the GenAI readers",
      "test/otel/conventions/openinference.test.ts > reads an LLM span's flattened messages, model, usage and finish reason (OpenAI client, recorded)",
      "test/otel/conventions/openinference.test.ts > falls back to input.value / output.value when no flattened messages exist",
      "test/otel/conventions/openinference.test.ts > reads the model's messages from LangChain's own: call ids, the system prompt's blocks, no empty text",
      "test/otel/conventions/openinference.test.ts > reads createAgent's graph span, a CHAIN named after the agent, as the agent",
      "test/otel/conventions/openinference.test.ts > reads the agent from its span (graph.node.id), without the LLM input/output the bridge copies onto it",
    ],
  },
  {
    claim: "| `mastra`: Mastra | `mastra.span.type` |",
    tests: [
      "test/otel/conventions/mastra.test.ts > is chosen for spans with mastra.span.type, before the GenAI reader",
      "test/otel/conventions/mastra.test.ts > reads a model call: JSON-string finish reasons, tool arguments and tool answers, all settings and usage",
      "test/otel/conventions/mastra.test.ts > otel-bridge: each inference span is a call, read from Mastra's own output with its tool calls",
      "test/otel/conventions/mastra.test.ts > both: the generation span sends the prompt, not the joined texts of its inference spans",
    ],
  },
  {
    claim: "| `genkit`: Genkit | `genkit:type` |",
    tests: [
      `${GENKIT_READER} > is chosen for spans with genkit:type`,
      `${GENKIT_READER} > reads a model call: the request's messages, system prompt apart, and the reply with its tool calls' own ids (recorded)`,
      `${GENKIT_READER} > reads a tool run's arguments and output, which name no call id, and a failed one's error (recorded)`,
      `${GENKIT_READER} > reads a flow, and a turn of a defineAgent agent, as the agent it names (recorded)`,
    ],
  },
  {
    claim: "| `openllmetry`: OpenLLMetry / Traceloop | `@traceloop/*` scope, `gen_ai.prompt.N.*`, `traceloop.*` |",
    tests: [
      "test/otel/conventions/openllmetry.test.ts > is chosen for Traceloop spans before the GenAI readers",
      "test/otel/conventions/openllmetry.test.ts > reads indexed prompts and completions with tool calls, tool answers, usage and settings",
      "test/otel/conventions/openllmetry.test.ts > reads the OpenAI instrumentation's spans: GenAI messages, by its scope (OpenAI client, recorded)",
      "test/otel/conventions/openllmetry.test.ts > reads decorator tools: kwargs as input, plain output, name from the entity or span",
    ],
  },
  {
    claim: "| `genai-events`: GenAI span events (≤1.36, ≤1.26) | `gen_ai.*.message`, `gen_ai.choice`, `gen_ai.content.*` events |",
    tests: [
      "test/otel/conventions/genai-events.test.ts > is chosen for spans with GenAI content events, or an old-style gen_ai.system without operation",
      "test/otel/conventions/genai-events.test.ts > reads Azure-style events: system, user, assistant tool calls, tool answers, choice",
      "test/otel/conventions/genai-events.test.ts > reads semconv 1.26 prompt and completion events on a span with no operation",
    ],
  },
  {
    claim: "| `genai`: OpenTelemetry GenAI (newest; AI SDK 7 `OpenTelemetry`) | `gen_ai.operation.name` |",
    tests: [
      "test/otel/conventions/ai-sdk-recorded.test.ts > recorded AI SDK 7 spans (%s) > the weather agent: its model calls, its tool and its agent",
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
    ],
  },
  {
    claim: "JSON carried as strings is parsed; malformed JSON is tolerated (the field is skipped, the span still counts).",
    tests: [
      "test/reliability/bad-input.test.ts > malformed and truncated JSON: the broken field is skipped, the rest is sent",
      "test/otel/conventions/genai-events.test.ts > skips malformed bodies and copes with multi-megabyte content without throwing",
      "test/otel/conventions/openai-messages.test.ts > handles multi-megabyte and broken JSON text as text",
    ],
  },
];

const RUNS: Claim[] = [
  {
    claim: "Its `runId` is the trace id formatted as an RFC 9562 version 8 UUID: `runIdForTrace(\"4bf92f3577b34da6a3ce929d0e0e4736\")` is `\"4bf92f35-77b3-8da6-a3ce-929d0e0e4736\"`.",
    tests: [
      "test/engine/run-ids.test.ts > keeps the trace id's digits except version and variant",
      "test/engine/run-ids.test.ts > is a valid RFC 9562 version 8 UUID for any trace id, and deterministic",
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
    ],
  },
  {
    claim: "every other digit is the trace id's own, in place, which is enough to search a tracing backend for the trace (by the run id's last 12 digits, say).",
    tests: ["test/engine/run-ids.test.ts > keeps the trace id's digits except version and variant"],
  },
  {
    claim: "Any process or exporter that sees the trace derives the same id.",
    tests: [
      "test/engine/run-ids.test.ts > is a valid RFC 9562 version 8 UUID for any trace id, and deterministic",
      "test/otel/ai-sdk-runs.test.ts > send identical requests for %s, run by run",
      "test/gateway/gateway-equivalence.test.ts > sends exactly the requests the in-process exporter sends",
    ],
  },
  {
    claim: "An agent span (`invoke_agent`, OpenInference `AGENT`, an AI SDK root operation) with another agent above it (typically a sub-agent called as a tool) starts a run whose id is `runIdForSpan(traceId, spanId)` (the trace id's first 16 digits and the span id, made a version 8 UUID the same way), with `parentRunId` set to the enclosing agent's run.",
    tests: [
      "test/otel/ai-sdk-runs.test.ts > a sub-agent called as a tool gets a child run, stopped before its parent",
      "test/engine/run-ids.test.ts > derives a child run from the trace's first half and the agent span id",
      "test/engine/trace-graph.test.ts > a sub-sub-agent's run has the sub-agent's run as parent",
      FRAMEWORK_SUITES.openaiAgents,
    ],
  },
  {
    claim: "A child run stops when its agent span ends; the trace's run when its local root ends (a request span, or the agent itself).",
    tests: [
      "test/otel/ai-sdk-runs.test.ts > a sub-agent called as a tool gets a child run, stopped before its parent",
      "test/otel/ai-sdk-runs.test.ts > an agent inside an HTTP server span: one run, stopped when the request ends, identity from the request",
    ],
  },
  {
    claim: "A local root whose parent is remote sends no stop: the run belongs to the process that started it.",
    tests: ["test/otel/ai-sdk-conversations.test.ts > a local root with a remote parent joins the trace's run and sends no stop (%s)"],
  },
  {
    claim: "A parent's stop is sent after its children's.",
    tests: [
      "test/otel/ai-sdk-runs.test.ts > a sub-agent called as a tool gets a child run, stopped before its parent",
      "test/otel/delivery-behaviour.test.ts > never stall: parents waiting for their children's stops do not hold the slots the children need",
    ],
  },
  {
    claim: "**Usage** is the run's own: its agents' reported totals when no child run exists, otherwise the sum of its own model calls (sub-agents report theirs).",
    tests: [
      "test/otel/sub-agent-usage.test.ts > counts each call once: the parent its own calls, the child its own",
      "test/otel/ai-sdk-conversations.test.ts > two agents in one request share the trace's run; usage adds up their totals (%s)",
    ],
  },
  {
    claim: "`stopReason` maps the last finish reason (`stop` → `end_turn`, `length` → `max_tokens`, `tool_calls`/`tool-calls`/`tool_call` → `tool_use`, `content_filter`/`content-filter` → `content_filter`); `error` and unknown reasons leave it out.",
    tests: ["test/engine/run-summary.test.ts > maps every producer spelling", "test/engine/engine.test.ts > name the agent a run ended with, and map the finish reason reported last"],
  },
  {
    claim: "A run whose own span (its agent, or the local root) ended with an error status failed: its stop carries no `stopReason`, whatever its last model call said before the failure.",
    tests: ["test/engine/engine.test.ts > stops without a stopReason when the span owning it ended in error, and only that run", FRAMEWORK_SUITES.genkit],
  },
];

const S = FRAMEWORK_SUITES;
const FRAMEWORKS: Claim[] = [
  {
    claim: "Each framework below runs in the test suite (`test/frameworks/`) with its own OpenTelemetry instrumentation, registered as shown, against a local OpenAI-compatible server",
    tests: [FRAMEWORK_SUITE, ...Object.values(S), "test/frameworks/fake-openai.test.ts > answers Chat Completions with text, tool calls, finish reason and usage"],
  },
  {
    claim: "each through the exporter behind a simple and a batch span processor and through the processor, which must send the same events.",
    tests: [FRAMEWORK_SUITE, "test/support/frameworks/suite.ts > it(`${id}: exporter behind a simple span processor`"],
  },
  {
    claim: "The recorded spans are in `test/fixtures/spans/` (`npm run record:fixtures` records them again).",
    tests: ["test/engine/recorded-runs.test.ts > %s %s: both release policies send the same requests", "test/support/frameworks/suite.ts > if (RECORDING) recordFixture(suite.name, id, recording);"],
  },
  {
    claim: "Where an instrumentation does not record something, the bridge sends nothing in its place; what each one lacks is listed with it.",
    tests: [FRAMEWORK_SUITE, "test/support/frameworks/suite.ts > const expected = suite.expected?.[id] ?? expectedRuns(id, suite.gaps?.[id], suite.carried);"],
  },
  {
    claim: "| framework | instrumentation | versions tested |",
    tests: ["test/readme/framework-versions.test.ts > names the installed version of every framework and instrumentation it lists"],
  },
  {
    claim: "Several instrumentations patch only CommonJS modules; under ESM, hand them the module with `manuallyInstrument`, as below.",
    tests: [S.openaiClientOpenInference, S.openaiAgents, S.langchainOpenInference, S.langchainOpenLLMetry],
  },
  {
    claim: "Gives everything the bridge sends: the agent (`functionId`), messages, tool calls and results with their ids, usage and finish reasons, sub-agents.",
    tests: [
      "test/otel/ai-sdk-weather.test.ts > sends the worked example's six events in order (%s)",
      "test/otel/ai-sdk-runs.test.ts > a sub-agent called as a tool gets a child run, stopped before its parent",
    ],
  },
  { claim: "Tested on Chat Completions and the Responses API.", tests: [S.openaiClientOpenInference, S.openaiClientOpenLLMetry] },
  {
    claim: "run a turn inside a span of yours (the request's span does) so that it is one run, and name the agent with the bridge's `agent: { name }` option, since no span does.",
    tests: [S.openaiClientOpenInference, S.openaiClientOpenLLMetry, "test/support/frameworks/openai-client.ts > bridgeOptions: { agent: { name: \"weather-agent\" } },"],
  },
  {
    claim: "usage when streaming Chat Completions (it comes in the stream's last chunk, which neither reads);",
    tests: [S.openaiClientOpenInference, "test/support/frameworks/openai-client.ts > streaming: { usage: true },"],
  },
  {
    claim: "that a tool failed: the application reports it to the model as text, sent as the tool's result;",
    tests: [S.openaiClientOpenLLMetry, "test/support/frameworks/openai-client.ts > failedToolContent: \"Error: no forecast for Atlantis\","],
  },
  {
    claim: "on the Responses API, OpenInference records no finish reason (the stop has no `stopReason`); OpenLLMetry records neither the instructions (no system prompt) nor the reply's function calls (they are known from the next request's input, without the model's name), and nothing of a streamed reply: the last answer of a streamed turn, its usage and finish reason are not sent.",
    tests: [
      S.openaiClientOpenInference,
      S.openaiClientOpenLLMetry,
      "test/support/frameworks/openai-client.ts > openinference: { all: { stopReason: true }, \"failing-tool\": { toolError: true } },",
      "test/support/frameworks/openai-client.ts > openllmetry: { all: { systemPrompt: true, toolUseModel: true }, \"failing-tool\": { toolError: true } },",
      "test/support/frameworks/openai-client.ts > const OPENLLMETRY_RESPONSES_STREAM: ExpectedRun[]",
    ],
  },
  { claim: "Tested on the Responses API (the SDK's default) and on Chat Completions.", tests: [S.openaiAgents, S.openaiAgentsChat] },
  {
    claim: "The Agents SDK turns its own tracing off when `NODE_ENV` is `test` (`agents.setTracingDisabled(false)` turns it back on).",
    tests: [S.openaiAgents],
  },
  {
    claim: "The trace's root span (\"Agent workflow\") is the workflow, not an agent; each agent's span is one.",
    tests: [
      "test/otel/conventions/openinference.test.ts > takes the trace's root AGENT span for what it is: the workflow around the agents, not one of them",
      "test/otel/conventions/openinference.test.ts > reads the agent from its span (graph.node.id), without the LLM input/output the bridge copies onto it",
    ],
  },
  {
    claim: "Gives agents, sub-agents called with `asTool()` (each a child run with `parentRunId`), handoffs (the model's own `transfer_to_<agent>` call and its answer; later events, the stop included, name the agent handed to), messages, usage, and the temperature and `top_p` a Responses API reply reports.",
    tests: [S.openaiAgents, S.openaiAgentsChat, "test/otel/conventions/openinference.test.ts > reads a handoff span as nothing: the model's transfer call and its answer are on the LLM spans"],
  },
  {
    claim: "the call id on tool spans: each is paired with the model's call of that tool by its arguments;",
    tests: [
      "test/otel/conventions/openinference.test.ts > a TOOL span without a call id answers the model's call instead of inventing another",
      "test/engine/run-composer.test.ts > a tool span without a call id answers the oldest open call of that tool",
    ],
  },
  {
    claim: "a failing tool's error: the SDK tells the model \"An error occurred while running the tool. Please try again.\", which is what the result carries;",
    tests: [S.openaiAgents, "test/otel/conventions/openinference.test.ts > reads a failed TOOL span: what the framework told the model, and the error (OpenAI Agents, recorded)"],
  },
  {
    claim: "what makes a span an agent until the span ends, so the processor sends an agent's events when its span ends.",
    tests: ["test/engine/release-policy.test.ts > a span its convention says may still become an agent keeps its children waiting until it ends", S.openaiAgents],
  },
  {
    claim: "Name each agent (`createAgent({ name: \"weather-agent\", … })`): its graph's span, named after it, is the agent, and a `createAgent` run inside a tool is a child run.",
    tests: ["test/otel/conventions/openinference.test.ts > reads createAgent's graph span, a CHAIN named after the agent, as the agent", S.langchainOpenInference],
  },
  {
    claim: "OpenInference gives everything, read from LangChain's own serialized messages where its flattened ones lose the call ids and the system prompt, and with the usage the provider reports, also when the model streams",
    tests: [
      "test/otel/conventions/openinference.test.ts > reads the model's messages from LangChain's own: call ids, the system prompt's blocks, no empty text",
      "test/otel/conventions/langchain-messages.test.ts > reads a chat model's prompt: the system prompt's blocks as text, a failed tool's message as an error",
      S.langchainOpenInference,
    ],
  },
  {
    claim: "(LangChain then fetches its tokenizer's files from `tiktoken.pages.dev` to estimate counts; the suite serves them locally)",
    tests: ["test/frameworks/fake-openai.test.ts > serves the tokenizer rank files LangChain fetches, in place of their host"],
  },
  {
    claim: "It writes all but a span's kind when the span ends, so the processor sends an agent's events when its span ends.",
    tests: [
      "test/engine/release-policy.test.ts > a span its convention says may still become an agent keeps its children waiting until it ends",
      "test/otel/conventions/openinference.test.ts > tells which open spans may still turn out to be agents when their producer finishes them",
    ],
  },
  {
    claim: "Its spans nest only under the active span: with none, every span starts a trace of its own. Run each agent inside an active span that names it (a sub-agent too, inside its tool), which also gives the run its agent",
    tests: [S.langchainOpenLLMetry, "test/otel/conventions/openllmetry.test.ts > reads agents: name from gen_ai.agent.name, the entity or the workflow, input and output as a call"],
  },
  {
    claim: "the model's tool calls: its chat spans keep only the text, so each call is known from its tool's span (a `ToolMessage` naming the call), without the model's name, just before its result;",
    tests: [
      "test/otel/conventions/openllmetry.test.ts > keeps the model's text; its tool calls are not on the span",
      "test/otel/conventions/openllmetry.test.ts > unwraps a LangChain tool's {args} input and its ToolMessage, which names the tool and the call",
      S.langchainOpenLLMetry,
    ],
  },
  {
    claim: "a tool that throws returns no `ToolMessage`: its span names the tool's class (`DynamicStructuredTool`) and no call, so its use and result carry that name and an id made from the span (`span-<spanId>`);",
    tests: ["test/otel/conventions/openllmetry.test.ts > reads a tool that threw (no ToolMessage) by its class, with its error", S.langchainOpenLLMetry],
  },
  { claim: "usage, when the model streams (`new ChatOpenAI({ streaming: true })`).", tests: [S.langchainOpenLLMetry] },
  {
    claim: "Mastra runs its own batch span processor around the exporter; flush it with `await observability.flush()` before a short-lived process ends.",
    tests: [S.mastraExporter, "test/support/frameworks/mastra.ts > await observability.flush();"],
  },
  {
    claim: "A turn's prompt is only on its generation span (the chat spans carry none), so the bridge sends it from there.",
    tests: ["test/otel/conventions/mastra.test.ts > both: the generation span sends the prompt, not the joined texts of its inference spans", S.mastraExporter, S.mastraBridge],
  },
  {
    claim: "the exporter's conversion of a response drops its tool calls: they are known from the tool spans, without the model's name, each just before its result;",
    tests: ["test/otel/conventions/mastra.test.ts > otel-exporter: each inference span is a call, its text kept and its tool calls dropped by the GenAI conversion", S.mastraExporter],
  },
  {
    claim: "the bridge's inference spans carry no model name, so the model's events name none; it writes every attribute when a span ends, so the processor sends an agent's events when its span ends;",
    tests: [
      "test/otel/conventions/mastra.test.ts > otel-bridge: each inference span is a call, read from Mastra's own output with its tool calls",
      "test/engine/release-policy.test.ts > a bare span from an instrumentation that says what it is only at its end keeps its children waiting",
      S.mastraBridge,
    ],
  },
  {
    claim: "streaming from an OpenAI-compatible `url`, Mastra does not ask the server for usage, so the stop has none.",
    tests: [S.mastraExporter, S.mastraBridge],
  },
  {
    claim: "await enableTelemetry({ spanProcessors: [new PermisoSpanProcessor()] }); // before the first flow runs",
    tests: [GENKIT_TELEMETRY],
  },
  {
    claim: "Genkit makes its spans itself, with no instrumentation package, on the global tracer provider. `enableTelemetry` sets that up: a `NodeSDK` (with the sdk-trace-base 1.25 that `@genkit-ai/core` bundles) given your span processors.",
    tests: [GENKIT_TELEMETRY],
  },
  {
    claim: "The exporter works there too, behind a `SimpleSpanProcessor` or `BatchSpanProcessor`; one from your own sdk-trace-base has types TypeScript will not match to Genkit's copy, so cast it.",
    tests: [GENKIT_TELEMETRY],
  },
  {
    claim: "To use a tracer provider your app registers instead, call `disableGenkitOTelInitialization()` (from `genkit/tracing`) before then.",
    tests: [S.genkit, "test/support/frameworks/genkit.ts > disableGenkitOTelInitialization();"],
  },
  {
    claim: "the flow's span, or the agent's turn, is the agent, named after it. A flow a tool runs is a sub-agent: a child run with `parentRunId`.",
    tests: [`${GENKIT_READER} > reads a flow, and a turn of a defineAgent agent, as the agent it names (recorded)`, S.genkit, S.genkitAgent],
  },
  {
    claim: "Gives the prompt, the system prompt, the model's tool calls with their ids, the tools' own outputs, the answer, usage (also when streaming) and finish reasons.",
    tests: [S.genkit, `${GENKIT_READER} > reads the tool's own output, by the model's call id, in the next call's messages (recorded)`],
  },
  {
    claim: "Every span says what it is when it starts, so the processor sends events as the spans end.",
    tests: [`${GENKIT_READER} > knows flows, model calls and tool runs from the attributes a span starts with; generate steps mean nothing (recorded)`, S.genkit],
  },
  {
    claim: "the text a reply writes beside its tool calls: `@genkit-ai/compat-oai` keeps only the tool calls, so that text is not sent;",
    tests: [S.genkit, "test/support/frameworks/scenarios.ts > textBesideToolCalls?: boolean;"],
  },
  {
    claim: "a call id on tool spans: each answers the model's call of that tool;",
    tests: [
      `${GENKIT_READER} > reads a tool run's arguments and output, which name no call id, and a failed one's error (recorded)`,
      "test/engine/run-composer.test.ts > a tool span without a call id answers the oldest open call of that tool",
    ],
  },
  {
    claim: "a model name of the provider's own: the events name the model as Genkit does (`openai/gpt-4o-mini`, the plugin's name first);",
    tests: [S.genkit, `${GENKIT_READER} > reads a model call: the request's messages, system prompt apart, and the reply with its tool calls' own ids (recorded)`],
  },
  {
    claim: "a finish reason for tool calls: Genkit records `stop` for a reply that calls tools;",
    tests: [`${GENKIT_READER} > reads a model call: the request's messages, system prompt apart, and the reply with its tool calls' own ids (recorded)`],
  },
  {
    claim: "a tool that throws fails `ai.generate` and the flow (or the agent's turn), so the run ends with that tool's result, flagged as an error. A flow's span records the failure, so that run's stop carries no `stopReason`; an agent's turn records none, so its stop carries the last reply's (`end_turn`, from that `stop`).",
    tests: [S.genkit, S.genkitAgent, "test/support/frameworks/suite.ts > scripts?: Partial<Record<ScenarioId, ScriptedReply[]>>;"],
  },
  {
    claim: "Both instrumentations give the messages, the tool calls with their ids, usage and the finish reason.",
    tests: [S.openaiClientOpenInference, S.openaiClientOpenLLMetry],
  },
];

const GATEWAY_DEFAULTS = "test/gateway/gateway-defaults.test.ts";
const COLLECTOR_OTLPHTTP = "test/gateway/collector-otlphttp.test.ts";
const OTLPHTTP_DEFAULTS = "at its defaults (gzip protobuf), and with encoding: json, the gateway delivers exactly the events the in-process bridge delivers";
const GATEWAY: Claim[] = [
  {
    claim: "it accepts OTLP (OTLP/HTTP on 4318, OTLP/gRPC on 4317) and turns `gen_ai` spans into runs with the same engine as `PermisoSpanExporter`. For the same spans it sends the same requests.",
    tests: [`${GATEWAY_DEFAULTS} > host 127.0.0.1, httpPort 4318, grpcPort 4317`, "test/gateway/gateway-equivalence.test.ts > sends exactly the requests the in-process exporter sends"],
  },
  {
    claim: "PERMISO_API_KEY=... npx permiso-hooks gateway # --http-port 4318 --grpc-port 4317 --host 127.0.0.1 --token T",
    tests: [
      "test/gateway/cli.test.ts > serves with a token and a mask from the environment and flags, and drains on SIGTERM, exiting 0",
      "test/gateway/cli.test.ts > reads flags, falls back to PERMISO_GATEWAY_TOKEN, and names the flag it cannot use",
    ],
  },
  {
    claim: "`@grpc/grpc-js` is an optional peer, needed only by the gateway: installing the SDK for the client or the bridge never downloads a server stack. Without it, starting a gateway fails with the command to run.",
    tests: [
      "test/package/entries.test.ts > %s loads its server stack (@grpc/grpc-js) only when a gateway starts: an optional peer",
      "test/package/entries.test.ts > declares every peer dependency optional",
      "test/gateway/packaging.test.ts > %s: says what to install",
      "test/gateway/packaging.test.ts > starts a gateway from %s",
    ],
  },
  {
    claim: "OTLP/protobuf needs no library: the gateway reads `ExportTraceServiceRequest` from the wire straight into span records and writes its few answers itself, so `protobufjs` is only a development dependency (the tests check the gateway's reading and writing against it).",
    tests: [
      "test/package/entries.test.ts > %s loads its server stack (@grpc/grpc-js) only when a gateway starts: an optional peer",
      "test/gateway/protobuf-decoder.test.ts > reads every field the span records use, in every message, as the specification numbers them",
      "test/gateway/otlp-decoding.test.ts > gives, request by request, the records of protobufjs's decoding of the same bytes",
      "test/gateway/protobuf-decoder.test.ts > the answers it writes > google.rpc.Status, with a RetryInfo when the sender should retry",
    ],
  },
  {
    claim: "**Point any OpenTelemetry SDK at it** with the standard variables; nothing Permiso-specific runs in the app",
    tests: ["test/gateway/python-agents.test.ts > %s over OTLP %s becomes one run", "test/gateway/gateway-equivalence.test.ts > sends exactly the requests the in-process exporter sends"],
  },
  {
    claim: "Tested with Python agents and their own instrumentation (`opentelemetry-instrumentation-openai-v2`, `openinference-instrumentation-openai-agents` with `openai-agents`, `traceloop-sdk`) and with OpenTelemetry JS's OTLP exporters (http/json, http/protobuf with gzip, gRPC).",
    tests: [
      "test/gateway/python-agents.test.ts > %s over OTLP %s becomes one run",
      "test/gateway/gateway-equivalence.test.ts > the gateway over OTLP %s > sends exactly the requests the in-process exporter sends",
      "test/gateway/support/otlp-clients.ts > export const OTLP_CLIENTS: OtlpClient[] = [\"http/json\", \"http/protobuf+gzip\", \"grpc\"];",
      "test/gateway/otlp-decoding.test.ts > decodes to the span records the in-process exporter reads",
    ],
  },
  {
    claim: "**Point a Collector at it** with an `otlp` (gRPC) or `otlphttp` exporter to the gateway",
    tests: [
      "test/gateway/collector.test.ts > produce exactly the runs one gateway produces, each trace on one instance, and both instances take traces",
      `${COLLECTOR_OTLPHTTP} > ${OTLPHTTP_DEFAULTS}`,
      "test/gateway/gateway-equivalence.test.ts > sends exactly the requests the in-process exporter sends",
    ],
  },
  {
    claim: "The `otlphttp` exporter works at its defaults (protobuf, gzip) and with `encoding: json`; it posts to `<endpoint>/v1/traces` and takes the token as a header:",
    tests: [`${COLLECTOR_OTLPHTTP} > ${OTLPHTTP_DEFAULTS}`, "test/gateway/collector/otlphttp.yaml > Authorization: Bearer ${env:GATEWAY_TOKEN}"],
  },
  {
    claim: "When the gateway's queue is full it answers 429 with `Retry-After`: the exporter waits at least that long and sends the same export again",
    tests: [
      `${COLLECTOR_OTLPHTTP} > a full queue answers 429 with Retry-After; the Collector waits that long, sends the same export again, and nothing is lost`,
      "test/gateway/bad-input.test.ts > a flood past the queue: 429 + Retry-After (gRPC RESOURCE_EXHAUSTED with RetryInfo), nothing dropped, every accepted trace delivered",
    ],
  },
  {
    claim: "await gateway.close(); // refuses new spans (503), releases held ones, delivers within 30 s, stops listening",
    tests: [
      "test/gateway/http-contract.test.ts > while draining: 503 + Retry-After over HTTP, UNAVAILABLE over gRPC, not ready; then it delivers what it held",
      "test/gateway/http-contract.test.ts > on close: releases the spans it held and delivers them, then stops listening",
      `${GATEWAY_DEFAULTS} > close() delivers within flushTimeoutMs, 30000`,
    ],
  },
  {
    claim: "Options: every [bridge option](#bridge-options) (`apiKey`, `baseUrl`, `captureContent`, `mask`, `pricing`, `holdTimeoutMs`, `maxQueueSize`, …)",
    tests: [
      "test/gateway/cli.test.ts > serves with a token and a mask from the environment and flags, and drains on SIGTERM, exiting 0",
      "test/gateway/bad-input.test.ts > a flood past the queue: 429 + Retry-After (gRPC RESOURCE_EXHAUSTED with RetryInfo), nothing dropped, every accepted trace delivered",
      "test/gateway/http-contract.test.ts > refuses a wrong value at start, naming the option, before any sender's request",
    ],
  },
  {
    claim: "| `host` | `127.0.0.1` | Interface to bind. Loopback unless told otherwise; set `token` when exposing it. |",
    tests: [`${GATEWAY_DEFAULTS} > host 127.0.0.1, httpPort 4318, grpcPort 4317`],
  },
  { claim: "| `httpPort`, `grpcPort` | `4318`, `4317` | 0 picks a free port. |", tests: [`${GATEWAY_DEFAULTS} > host 127.0.0.1, httpPort 4318, grpcPort 4317`] },
  {
    claim: "| `token` | `PERMISO_GATEWAY_TOKEN` (CLI) | Requests need `Authorization: Bearer <token>` (HTTP header or gRPC metadata), else 401 / `UNAUTHENTICATED`. |",
    tests: [
      "test/gateway/http-contract.test.ts > requires the bearer token when one is set: 401 with a Status, or UNAUTHENTICATED over gRPC",
      "test/gateway/cli.test.ts > reads flags, falls back to PERMISO_GATEWAY_TOKEN, and names the flag it cannot use",
    ],
  },
  {
    claim: "| `maxBodyBytes` | 20 MiB | Largest body after decompression; gzip is inflated with a bounded output. |",
    tests: [`${GATEWAY_DEFAULTS} > maxBodyBytes: 20 MiB`, "test/gateway/bad-input.test.ts > a gzip bomb: 413, cut off once the inflated size passes the limit"],
  },
  {
    claim: "| `retryAfterSeconds` | `2` | Told to throttled clients (`Retry-After`, gRPC RetryInfo). |",
    tests: [
      `${GATEWAY_DEFAULTS} > retryAfterSeconds: 2`,
      "test/gateway/bad-input.test.ts > a flood past the queue: 429 + Retry-After (gRPC RESOURCE_EXHAUSTED with RetryInfo), nothing dropped, every accepted trace delivered",
    ],
  },
  {
    claim: "| `traceSettleMs` | `1000` | A trace reaches the engine once none of its spans arrived for this long (checked every quarter of it): requests race, and the span that closes a run may arrive first. |",
    tests: [`${GATEWAY_DEFAULTS} > traceSettleMs: 1000`, "test/gateway/trace-settling.test.ts > hands a trace over whole once no span of it arrived for settleMs, the root last or not"],
  },
  {
    claim: "| `maxApiKeys` | `32` | Distinct Permiso keys served, the gateway's own among them once used; a request with one more `x-permiso-api-key` gets 429 / `RESOURCE_EXHAUSTED`. A key stays served until the gateway stops; the gateway's own is always served. |",
    tests: [`${GATEWAY_DEFAULTS} > maxApiKeys: 32, the gateway's own key served whatever the count`, "test/gateway/trace-settling.test.ts > serves at most maxApiKeys sender keys, the gateway's own key always"],
  },
  {
    claim: "| `readinessWindowMs` | `60000` | `/readyz` fails when Permiso has not been reached for this long while events wait. |",
    tests: [`${GATEWAY_DEFAULTS} > readinessWindowMs: 60000`, "test/gateway/http-contract.test.ts > is not ready while Permiso cannot be reached and events wait"],
  },
  {
    claim: "The CLI takes `--http-port`, `--grpc-port`, `--host`, `--token`, `--no-content` and `--mask <module>` (its default or `mask` export), reads `PERMISO_API_KEY`, `PERMISO_BASE_URL` and `PERMISO_GATEWAY_TOKEN`, and on SIGTERM drains as `close()` does and exits 0.",
    tests: [
      "test/gateway/cli.test.ts > serves with a token and a mask from the environment and flags, and drains on SIGTERM, exiting 0",
      "test/gateway/cli.test.ts > reads flags, falls back to PERMISO_GATEWAY_TOKEN, and names the flag it cannot use",
    ],
  },
  {
    claim: "| accepted | 200 | OK |",
    tests: ["test/gateway/http-contract.test.ts > answers 200 in the request's encoding, protobuf or JSON, gzip or not, and delivers the run", "test/gateway/gateway-equivalence.test.ts > sends exactly the requests the in-process exporter sends"],
  },
  {
    claim: "| some spans unreadable (bad ids) | 200 with `partialSuccess` (`rejectedSpans`, where and why) | OK with `partial_success` |",
    tests: [
      "test/gateway/bad-input.test.ts > invalid ids: the span alone is rejected (200 with partialSuccess), the rest of the request delivered",
      "test/gateway/otlp-decoding.test.ts > rejects only the spans whose ids are invalid, saying where and what was expected",
    ],
  },
  {
    claim: "| body not an ExportTraceServiceRequest | 400 | `INVALID_ARGUMENT` |",
    tests: ["test/gateway/bad-input.test.ts > truncated protobuf: 400 with a google.rpc.Status in protobuf; gRPC: INVALID_ARGUMENT", "test/gateway/otlp-decoding.test.ts > refuses bodies that are not an ExportTraceServiceRequest"],
  },
  {
    claim: "| no or wrong bearer token | 401 | `UNAUTHENTICATED` |",
    tests: ["test/gateway/http-contract.test.ts > requires the bearer token when one is set: 401 with a Status, or UNAUTHENTICATED over gRPC"],
  },
  {
    claim: "| over `maxBodyBytes` (after decompression) | 413 | `RESOURCE_EXHAUSTED` (grpc-js refuses the message) |",
    tests: ["test/gateway/bad-input.test.ts > a gzip bomb: 413, cut off once the inflated size passes the limit", "test/gateway/bad-input.test.ts > a 30 MiB body: 413, declared or streamed without a length"],
  },
  {
    claim: "| not `application/x-protobuf` / `application/json`, or not gzip | 415 | – |",
    tests: ["test/gateway/bad-input.test.ts > the wrong content type or encoding: 415"],
  },
  {
    claim:
      "| queue full, or with less room left than the last request took (refused before the body is decoded; backpressure, never a silent drop) | 429 + `Retry-After` | `RESOURCE_EXHAUSTED` + RetryInfo |",
    tests: [
      "test/gateway/bad-input.test.ts > a flood past the queue: 429 + Retry-After (gRPC RESOURCE_EXHAUSTED with RetryInfo), nothing dropped, every accepted trace delivered",
      "test/gateway/bad-input.test.ts > with less room left than the last request took, the next request is refused (429) before its body is decoded",
    ],
  },
  {
    claim: "| shutting down (`close()`, SIGTERM) while it delivers what it held | 503 + `Retry-After` | `UNAVAILABLE` |",
    tests: ["test/gateway/http-contract.test.ts > while draining: 503 + Retry-After over HTTP, UNAVAILABLE over gRPC, not ready; then it delivers what it held"],
  },
  {
    claim: "A request may carry `x-permiso-api-key`: its runs go out with that key, so one gateway serves several Permiso agents. Keys are never logged or reported.",
    tests: [
      "test/gateway/http-contract.test.ts > sends a request's runs with its own x-permiso-api-key, and never shows keys in metrics",
      "test/gateway/cli.test.ts > serves with a token and a mask from the environment and flags, and drains on SIGTERM, exiting 0",
    ],
  },
  {
    claim: "Duplicate spans (OTLP retries) are ignored.",
    tests: ["test/gateway/http-contract.test.ts > ignores duplicate spans, as OTLP retries send them", "test/engine/engine.test.ts > a span that arrives again (an OTLP retry) is ignored and counted"],
  },
  {
    claim: "`GET /healthz` is liveness; `GET /readyz` is ready, not draining, and Permiso reached recently; `GET /metrics` is Prometheus text (`permiso_gateway_*`: requests by outcome, spans received, rejected and duplicate, events delivered, failed and dropped, queue depth, held spans and traces).",
    tests: [
      "test/gateway/http-contract.test.ts > serves /healthz, /readyz and Prometheus /metrics",
      "test/gateway/http-contract.test.ts > is not ready while Permiso cannot be reached and events wait",
      "test/gateway/http-contract.test.ts > while draining: 503 + Retry-After over HTTP, UNAVAILABLE over gRPC, not ready; then it delivers what it held",
      "test/gateway/http-contract.test.ts > ignores duplicate spans, as OTLP retries send them",
    ],
  },
  {
    claim: "`examples/collector/` has the Collector configuration (DNS resolver over a Kubernetes headless Service) and the Service.",
    tests: ["test/gateway/collector-example.test.ts > as shipped: valid, loadbalancing exporter and DNS resolver included", "test/gateway/collector-example.test.ts > with a static resolver for two gateways on loopback: each trace reaches one gateway whole, with the token"],
  },
  {
    claim: "The tests put a real Collector's `loadbalancing` exporter (static resolver) in front of two gateways and check that every trace becomes exactly the runs one gateway makes of it, each on one instance, with both instances taking traces",
    tests: ["test/gateway/collector.test.ts > produce exactly the runs one gateway produces, each trace on one instance, and both instances take traces"],
  },
  {
    claim: "they run the example configuration itself, with a static resolver in place of the DNS one, in front of two gateways that require a token.",
    tests: ["test/gateway/collector-example.test.ts > with a static resolver for two gateways on loopback: each trace reaches one gateway whole, with the token"],
  },
  {
    claim: "A trace's state lives on one instance, so run several gateways behind a Collector whose `loadbalancing` exporter routes by `traceID` (it speaks gRPC: the gateways' 4317).",
    tests: [
      "test/gateway/collector.test.ts > produce exactly the runs one gateway produces, each trace on one instance, and both instances take traces",
      "test/gateway/collector-example.test.ts > with a static resolver for two gateways on loopback: each trace reaches one gateway whole, with the token",
    ],
  },
];

const DELIVERY_BEHAVIOUR = "test/otel/delivery-behaviour.test.ts";
const FLUSH_PERMISO = "test/otel/flush-permiso.test.ts";
const BURST = "test/otel/burst.test.ts > behind a default BatchSpanProcessor: every span reaches the exporter, and its flush means every event is delivered";
const BURST_10X = "test/reliability/burst-10x.test.ts > %s: loses only in its own bounded queue, counted and reported once per burst, stops kept";
const SERVERLESS_DELIVERED = "test/otel/serverless.test.ts > %s: when provider.forceFlush() resolves, every event is delivered";
const SERVERLESS_DEADLINE = "test/otel/serverless.test.ts > %s, an endpoint that never answers: the flush settles at its deadline, in-flight events aborted and counted";
const DELIVERY: Claim[] = [
  {
    claim: "Each run's events go one request at a time, in order; runs go in parallel (`maxConcurrentRequests`).",
    tests: [`${DELIVERY_BEHAVIOUR} > sends each run's events one at a time, in order, while runs go in parallel`, "test/engine/delivery.test.ts > sends one run's events in order, one at a time, and stamps clientSentAtMs at send"],
  },
  {
    claim: "Queues are bounded; what is dropped is counted and reported through `diag` once per burst.",
    tests: [`${DELIVERY_BEHAVIOUR} > drops beyond maxQueueSize, counts it, reports once per burst, and keeps room for stops`, "test/reliability/bridge-faults.test.ts > keeps queues bounded, counts drops, reports once per burst, and shuts down within its deadline"],
  },
  {
    claim: "`export()` answers a full batch (512 spans, or `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`) that arrives on its own as soon as its events are queued",
    tests: [`${FLUSH_PERMISO} > a full batch on its own is acknowledged once queued; flushPermiso() delivers it, held spans included`, `${FLUSH_PERMISO} > knows a full batch by OTEL_BSP_MAX_EXPORT_BATCH_SIZE, as NodeSDK's BatchSpanProcessor does`],
  },
  {
    claim: "Any other export (a smaller batch, or the batches a flush sends together) reports when every event released so far has been delivered or has finally failed: success when all were delivered, failure when any finally failed or was dropped, or when `exportTimeoutMs` passed (what is still pending then is aborted and counted as failed).",
    tests: [
      `${DELIVERY_BEHAVIOUR} > reports SUCCESS only once the released events are delivered`,
      `${DELIVERY_BEHAVIOUR} > reports FAILED with a reason when the endpoint refuses, without retrying a 500`,
      `${DELIVERY_BEHAVIOUR} > reports FAILED at exportTimeoutMs while the endpoint hangs`,
      "test/otel/bridge-defaults.test.ts > exportTimeoutMs: 25000",
    ],
  },
  {
    claim: "Spans waiting for their run do not delay it.",
    tests: [`${FLUSH_PERMISO} > a full batch on its own is acknowledged once queued; flushPermiso() delivers it, held spans included`, "test/otel/held-spans.test.ts > are sent once holdTimeoutMs passes, even if their agent never arrives"],
  },
  {
    claim: "`forceFlush()`, `flushPermiso()` and `shutdown()` wait for every event released so far, within `flushTimeoutMs`, then resolve (never reject); what is still pending at the deadline, waiting, retrying or in flight, is aborted, counted in `eventsFailed` and reported once through `diag`.",
    tests: [
      `${FLUSH_PERMISO} > against an endpoint that never answers, settles at flushTimeoutMs with every event aborted and counted, and never rejects`,
      `${DELIVERY_BEHAVIOUR} > shutdown() returns within flushTimeoutMs against a dead backend, and later exports fail at once`,
      `${DELIVERY_BEHAVIOUR} > forceFlush() delivers what the processor has in flight`,
      "test/otel/bridge-defaults.test.ts > flushTimeoutMs: 30000",
    ],
  },
  {
    claim: "The exporter's `forceFlush()` first releases the spans it holds, with what is known; the processor's spans that wait for an open span above them go when it ends, or at `shutdown()`.",
    tests: [
      `${FLUSH_PERMISO} > a full batch on its own is acknowledged once queued; flushPermiso() delivers it, held spans included`,
      "test/engine/engine.test.ts > sends what still waits for an open span above it, then keeps nothing",
    ],
  },
  {
    claim: "After `shutdown()`, exports fail at once and nothing of any trace is kept.",
    tests: [
      `${DELIVERY_BEHAVIOUR} > shutdown() returns within flushTimeoutMs against a dead backend, and later exports fail at once`,
      `${DELIVERY_BEHAVIOUR} > the processor ignores spans after shutdown`,
      "test/engine/engine.test.ts > sends what still waits for an open span above it, then keeps nothing",
    ],
  },
  {
    claim: "Retries follow the client's policy, each event within `exportTimeoutMs`.",
    tests: ["test/otel/options.test.ts > takes the client's timeoutMs and maxRetries", `${DELIVERY_BEHAVIOUR} > reports FAILED at exportTimeoutMs while the endpoint hangs`],
  },
  {
    claim: "A 400 is reported with the server's problems in one line; 401/403 once, as a configuration problem.",
    tests: [
      "test/reliability/bridge-faults.test.ts > a 400 is not retried, is summarised once per burst, and does not block the run",
      `${DELIVERY_BEHAVIOUR} > reports a refused API key once, as a configuration problem`,
      "test/otel/bridge-claims.test.ts > a 403 is reported once, as a configuration problem, like a 401",
    ],
  },
  {
    claim: "The bridge's own requests run in OpenTelemetry's suppress-tracing context, so HTTP instrumentation does not trace them.",
    tests: ["test/otel/bridge-claims.test.ts > are not traced, even with HTTP instrumentation loaded and the export run outside the SDK's suppression", "test/otel/setups/node-tracer-provider.test.ts > delivers a run and creates no spans for its own requests"],
  },
  {
    claim: "Nothing it does throws into the host: a failure inside the bridge is reported through `diag` once per burst.",
    tests: [`${DELIVERY_BEHAVIOUR} > a throwing shouldExportSpan or mask never reaches the host`, "test/otel/span-edge-cases.test.ts > is reported through diag once per burst, and the host goes on"],
  },
  {
    claim: "It never registers a global provider and never mutates spans.",
    tests: [`${DELIVERY_BEHAVIOUR} > never registers a global tracer provider`, "test/otel/bridge-claims.test.ts > leave every span as the SDK made it, exporter and processor alike"],
  },
  {
    claim: "Unsampled spans (a record-only sampler) are skipped by both, as the SDK's own processors skip them.",
    tests: ["test/otel/span-edge-cases.test.ts > the processor and the exporter both skip unsampled spans"],
  },
  {
    claim: "Spans whose parents lead back to themselves (ids reused by a custom `IdGenerator`) are counted in `spansSkipped` and never sent.",
    tests: ["test/otel/span-edge-cases.test.ts > parents that form a loop > are counted as skipped and never sent"],
  },
  {
    claim: "Works with `@opentelemetry/sdk-trace-base` 1.x and 2.x (their spans differ: `parentSpanId` vs `parentSpanContext`).",
    tests: ["test/otel/sdk-shape.test.ts > sdk-trace-base ${SDK_MAJOR}.x spans have the ${SDK_MAJOR}.x shape, and read the same", "scripts/compat-matrix.mjs > OTEL_SDK_MAJOR"],
  },
  {
    claim: "A 1.x span does not say whether its parent is remote, so the exporter holds a local root with a remote parent until `holdTimeoutMs` (or `forceFlush()`); the processor and 2.x spans know at once.",
    tests: [
      "test/engine/trace-graph.test.ts > exporter: a parent not seen yet leaves the run open",
      "test/engine/trace-graph.test.ts > exporter: a remote parent ends the chain",
      "test/otel/ai-sdk-conversations.test.ts > a local root with a remote parent joins the trace's run and sends no stop (%s)",
    ],
  },
];

const BURSTS: Claim[] = [
  {
    claim: "For bursty batch jobs (thousands of agent runs at once), use the processor: nothing sits in front of it, so a burst meets only its own bounded queue (`maxQueueSize` events, 10,000 by default), and what that drops is counted in `eventsDropped` and reported once per burst through `diag`, while stops keep their reserve.",
    tests: [BURST_10X, "test/otel/bridge-defaults.test.ts > maxQueueSize: 10000, and a reserve of max(16, maxQueueSize / 10) = 1000 more for stops"],
  },
  {
    claim: "For serverless functions, use either one and `await flushPermiso()` before the function freezes.",
    tests: [`${FLUSH_PERMISO} > flushes every exporter and processor of the process at once`, `${FLUSH_PERMISO} > covers what provider.forceFlush() cannot reach: a BatchSpanProcessor whose buffer is empty`],
  },
  {
    claim: "it recognises a burst by the BatchSpanProcessor's full batches and answers them at once, so the BatchSpanProcessor keeps up and drops nothing (6,000 spans in a burst arrive whole, tested).",
    tests: [BURST, `${FLUSH_PERMISO} > a full batch on its own is acknowledged once queued; flushPermiso() delivers it, held spans included`],
  },
  {
    claim: "Keep `maxExportBatchSize` at its default (512), or set it through `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, which the exporter reads too",
    tests: [`${FLUSH_PERMISO} > knows a full batch by OTEL_BSP_MAX_EXPORT_BATCH_SIZE, as NodeSDK's BatchSpanProcessor does`],
  },
  {
    claim: "Keep `exportTimeoutMillis` (30 s) above the exporter's `exportTimeoutMs` (25 s). `maxQueueSize` (2048) needs no change.",
    tests: ["test/otel/bridge-defaults.test.ts > exportTimeoutMs: 25000", BURST],
  },
  {
    claim: "**`flushPermiso()`**, and each exporter's or processor's own **`forceFlush()`**: hands over what the host's calls recorded, releases the exporter's held spans with what is known, then resolves when every event released so far has been delivered or has finally failed.",
    tests: [
      "test/otel/span-intake.test.ts > forceFlush() hands over what was just recorded, and delivers it",
      `${FLUSH_PERMISO} > a full batch on its own is acknowledged once queued; flushPermiso() delivers it, held spans included`,
      "test/otel/burst.test.ts > through the processor: every event is delivered, each run's stop last, by the end of its flush",
    ],
  },
  {
    claim: "At `flushTimeoutMs` (30 s), every such event still pending (waiting, retrying or in flight) is aborted, counted in `eventsFailed` and reported once through `diag`; the flush then resolves. It never rejects.",
    tests: [`${FLUSH_PERMISO} > against an endpoint that never answers, settles at flushTimeoutMs with every event aborted and counted, and never rejects`, "test/otel/bridge-defaults.test.ts > flushTimeoutMs: 30000"],
  },
  {
    claim: "`flushPermiso()` does this for every exporter and processor in the process.",
    tests: [`${FLUSH_PERMISO} > flushes every exporter and processor of the process at once`],
  },
  {
    claim: "**`provider.forceFlush()` with the processor**: the same, since the provider calls the processor's `forceFlush()`.",
    tests: [SERVERLESS_DELIVERED, SERVERLESS_DEADLINE],
  },
  {
    claim: "the BatchSpanProcessor exports what it buffered and waits for those exports, and such an export reports only when every event released so far (by any export) has been delivered or has finally failed, within `exportTimeoutMs` (25 s; the rest is aborted and counted).",
    tests: [SERVERLESS_DELIVERED, SERVERLESS_DEADLINE, BURST],
  },
  {
    claim: "when the BatchSpanProcessor's buffer is empty at the flush (it then calls no exporter at all, and a full batch it sent just before may still be in flight), or holds exactly one full batch.",
    tests: [`${FLUSH_PERMISO} > covers what provider.forceFlush() cannot reach: a BatchSpanProcessor whose buffer is empty`],
  },
  {
    claim: "`flushPermiso()` has neither exception.",
    tests: [`${FLUSH_PERMISO} > covers what provider.forceFlush() cannot reach: a BatchSpanProcessor whose buffer is empty`, `${FLUSH_PERMISO} > a full batch on its own is acknowledged once queued; flushPermiso() delivers it, held spans included`],
  },
  {
    claim: "**When an event finally failed**, the export a flush triggered reports failure: success is never reported for what was not sent. NodeSDK's `provider.forceFlush()` then rejects (with the SDK's error list); `@vercel/otel`'s logs it through `diag` and resolves.",
    tests: [SERVERLESS_DEADLINE, `${DELIVERY_BEHAVIOUR} > reports FAILED with a reason when the endpoint refuses, without retrying a 500`],
  },
  {
    claim: "Serverless code that must not throw because telemetry failed awaits `flushPermiso()`, which never rejects, and can read `getStats()` for what failed.",
    tests: [`${FLUSH_PERMISO} > against an endpoint that never answers, settles at flushTimeoutMs with every event aborted and counted, and never rejects`],
  },
];

const GUARD_TEST = "test/guard/guard.test.ts";
const GUARD_DEFAULTS = "test/guard/guard-defaults.test.ts";
const GUARD_CONTENT = "test/guard/content-policy.test.ts";
const GUARD_LINK = "test/guard/bridge-link.test.ts";
const GUARD_LINK_FRAMEWORKS = [
  "test/guard/bridge-link-frameworks.test.ts > LangChain v1, OpenInference > each tool call once, from the guard, in the agent's run",
  "test/guard/bridge-link-frameworks.test.ts > OpenAI Agents JS (%s), OpenInference > each tool call once, from the guard, in the agent's run",
  "test/guard/bridge-link-frameworks.test.ts > Mastra, @mastra/otel-bridge > each tool call once, from the guard, in the agent's run",
];
const HUNG_PERMISO = [
  "test/guard/guard.test.ts > a hung Permiso is cut at timeoutMs (failMode %s)",
  "test/guard/ai-sdk.test.ts > a hung Permiso blocks at timeoutMs",
  "test/guard/langchain.test.ts > a hung Permiso blocks at timeoutMs",
  "test/guard/openai-agents.test.ts > a hung Permiso blocks at timeoutMs",
  "test/guard/mastra.test.ts > a hung Permiso blocks at timeoutMs",
  "test/guard/mcp.test.ts > a hung Permiso blocks at timeoutMs",
];
const GUARD: Claim[] = [
  {
    claim: "`PermisoToolGuard` sends the call as a `tool_use` event (`hookEvent` = the tool's name), waits for the answer, and one adapter per framework applies it on that framework's own hook.",
    tests: [`${GUARD_TEST} > is the tool_use event, strictly valid, with the guard's context`, `${GUARD_TEST} > %s allows the call`],
  },
  {
    claim: 'const guard = new PermisoToolGuard(); // PERMISO_API_KEY, failMode "closed", timeoutMs 5000',
    tests: [`${GUARD_TEST} > takes the key and URL from PERMISO_API_KEY and PERMISO_BASE_URL`, `${GUARD_DEFAULTS} > failMode closed and timeoutMs 5000: a hung Permiso blocks the tool at 5 s`],
  },
  {
    claim: "The guard entry needs `@opentelemetry/api` (`npm install @opentelemetry/api`, no other dependency) and never imports a framework: each adapter is shaped to its framework's hook type, and a test checks it against the installed type definitions",
    tests: [
      "test/package/entries.test.ts > %s imports only built-ins and @opentelemetry/api, no framework",
      "test/guard/adapter-types.test.ts > AI SDK 7: a toolApproval configuration",
      "test/guard/adapter-types.test.ts > LangChain v1: an agent middleware with a wrapToolCall hook",
      "test/guard/adapter-types.test.ts > OpenAI Agents JS: a tool input guardrail; guarded tools are still tools",
      "test/guard/adapter-types.test.ts > Mastra: a beforeToolCall hook",
      "test/guard/adapter-types.test.ts > MCP: the guarded client is the client's own type",
    ],
  },
  {
    claim: "**Vercel AI SDK 7**: the `toolApproval` option of `generateText`, `streamText` and `ToolLoopAgent`.",
    tests: [
      "test/guard/ai-sdk.test.ts > generateText: the allowed tool runs, the denied one reaches the model with Permiso's reason",
      "test/guard/ai-sdk.test.ts > streamText: the same, streamed",
      "test/guard/ai-sdk.test.ts > ToolLoopAgent: the option on the agent",
    ],
  },
  {
    claim: "**LangChain v1**: a `createAgent` middleware on `wrapToolCall`. LangChain accepts only a real `ToolMessage` from a middleware, and the guard imports no framework, so pass the class",
    tests: ["test/guard/langchain.test.ts > the allowed tool runs; the denied one answers the model with Permiso's reason", "test/guard/langchain.test.ts > needs the ToolMessage class"],
  },
  {
    claim: "**OpenAI Agents JS**: a tool input guardrail. `withPermisoGuard` adds it to every function tool of a list (copies; the originals are unchanged, and a tool is never given it twice).",
    tests: [
      "test/guard/openai-agents.test.ts > on each tool: the allowed one runs, the denied one's output is Permiso's reason",
      "test/guard/openai-agents.test.ts > withPermisoGuard adds it to every function tool, once, without changing the originals",
      "test/guard/openai-agents.test.ts > on the MCP server's toolInputGuardrails",
      "test/guard/openai-agents.test.ts > withPermisoGuard on the tools getAllMcpTools lists",
    ],
  },
  {
    claim: "**Mastra**: the agent's `hooks.beforeToolCall` (or per call, in `generate`/`stream` options).",
    tests: ["test/guard/mastra.test.ts > the allowed tool runs; the denied one's output is Permiso's reason", "test/guard/mastra.test.ts > works as a per-call hook too"],
  },
  {
    claim: "**MCP TypeScript SDK**: a client whose `callTool` asks first. Everything else is the client itself (same class, same connection). `callTool` carries no model call id: say where your loop keeps it, or a fresh one is made per call",
    tests: [
      "test/guard/mcp.test.ts > an allowed call reaches the server; a denied one is a tool error with Permiso's reason",
      "test/guard/mcp.test.ts > is still the client: same class, other methods on the original",
      "test/guard/mcp.test.ts > makes a fresh call id when the host gives none",
    ],
  },
  {
    claim: "| `permission: \"allow\"`, `{}`, an empty body | `allowed` | the tool runs | the tool runs | the tool runs | the tool runs | the server is called |",
    tests: [
      `${GUARD_TEST} > %s allows the call`,
      "test/guard/ai-sdk.test.ts > generateText: the allowed tool runs, the denied one reaches the model with Permiso's reason",
      "test/guard/langchain.test.ts > the allowed tool runs; the denied one answers the model with Permiso's reason",
      "test/guard/openai-agents.test.ts > on each tool: the allowed one runs, the denied one's output is Permiso's reason",
      "test/guard/mastra.test.ts > the allowed tool runs; the denied one's output is Permiso's reason",
      "test/guard/mcp.test.ts > an allowed call reaches the server; a denied one is a tool error with Permiso's reason",
    ],
  },
  {
    claim: "| `permission: \"deny\"` | `denied` | `{ type: \"denied\", reason }`: the model gets an `execution-denied` result; the loop goes on | an error `ToolMessage` with the reason; the agent goes on | `rejectContent(reason)`: the reason is the tool's output; the run goes on | `{ proceed: false, output: reason }`; the agent goes on | `{ isError: true, content: [{ type: \"text\", text: reason }] }` |",
    tests: [
      "test/guard/ai-sdk.test.ts > generateText: the allowed tool runs, the denied one reaches the model with Permiso's reason",
      "test/guard/langchain.test.ts > the allowed tool runs; the denied one answers the model with Permiso's reason",
      "test/guard/openai-agents.test.ts > on each tool: the allowed one runs, the denied one's output is Permiso's reason",
      "test/guard/mastra.test.ts > the allowed tool runs; the denied one's output is Permiso's reason",
      "test/guard/mcp.test.ts > an allowed call reaches the server; a denied one is a tool error with Permiso's reason",
    ],
  },
  {
    claim: "| `continue: false` | `denied`, `stopRun: true` | throws: `generateText` rejects, `streamText`'s stream errors | throws: `agent.invoke` rejects | `throwException`: the run rejects | suspends the run: `finishReason: \"suspended\"`, the decision in the suspend payload (`permiso`); resuming asks again | throws |",
    tests: [
      `${GUARD_TEST} > continue: false denies and stops the run, even with permission allow`,
      "test/guard/ai-sdk.test.ts > continue: false ends the call with PermisoRunStoppedError; no tool runs, the model is not asked again",
      "test/guard/ai-sdk.test.ts > continue: false errors streamText's stream with PermisoRunStoppedError",
      "test/guard/langchain.test.ts > continue: false ends the agent with PermisoRunStoppedError",
      "test/guard/openai-agents.test.ts > continue: false trips the guardrail and ends the run",
      "test/guard/mastra.test.ts > continue: false suspends the run with Permiso's decision; the model is not asked again",
      "test/guard/mastra.test.ts > resuming a stopped run asks Permiso again, and the tool still does not run",
      "test/guard/mcp.test.ts > continue: false throws PermisoRunStoppedError and the tool does not run",
    ],
  },
  {
    claim: "| nothing usable | `failed-closed` / `failed-open` | by the fail mode: as a denial with the fail mode's reason, or the tool runs |",
    tests: [
      "test/guard/ai-sdk.test.ts > a dead Permiso blocks every tool (failMode closed) and the model is told why",
      "test/guard/ai-sdk.test.ts > a dead Permiso lets tools run with failMode open",
      "test/guard/langchain.test.ts > a dead Permiso blocks the tools (failMode closed) and the model is told why",
      "test/guard/langchain.test.ts > a dead Permiso lets the tools run with failMode open",
      "test/guard/openai-agents.test.ts > a dead Permiso blocks the tools (failMode closed); failMode open lets them run",
      "test/guard/mastra.test.ts > a dead Permiso blocks the tools (failMode closed); failMode open lets them run",
      "test/guard/mcp.test.ts > a dead Permiso blocks calls (failMode closed); failMode open lets them through",
    ],
  },
  {
    claim: "The model is given Permiso's `agent_message`, or \"Permiso denied this tool call.\" when there is none; `user_message` is for the person and never reaches the model (`decision.userMessage`).",
    tests: [`${GUARD_TEST} > a denial gives the model agent_message and keeps user_message for the person`, `${GUARD_TEST} > a denial without a message names Permiso`],
  },
  {
    claim: "Where a framework ends the run by an error, it wraps ours its own way; `PermisoRunStoppedError.find(error)` finds it, with `decision`, `toolName` and `toolCallId`.",
    tests: [
      "test/guard/ai-sdk.test.ts > continue: false ends the call with PermisoRunStoppedError; no tool runs, the model is not asked again",
      "test/guard/openai-agents.test.ts > continue: false trips the guardrail and ends the run",
      "test/package/entries.test.ts > the guard entry runs under require() and import, and a stop is recognised across the two builds",
    ],
  },
  {
    claim: "Mastra turns a hook's error into a tool result, so suspending is the one way a hook can end a Mastra run.",
    tests: ["test/guard/mastra.test.ts > continue: false suspends the run with Permiso's decision; the model is not asked again"],
  },
  {
    claim: "`check()` never rejects. A bad argument (no `toolName`, no `toolCallId`) or input JSON cannot encode (`input.self is a circular reference`) is not checked: the fail mode decides, and the reason names the field.",
    tests: [`${GUARD_TEST} > %j is not checked and never throws`, `${GUARD_TEST} > input JSON cannot encode is named`],
  },
  {
    claim: "| `apiKey` | `PERMISO_API_KEY` | Without one the guard is still built, and every check fails by the fail mode (reported once through `diag`, at error level). |",
    tests: [`${GUARD_TEST} > without an API key, checks fail by the fail mode and nothing is sent`, `${GUARD_TEST} > takes the key and URL from PERMISO_API_KEY and PERMISO_BASE_URL`],
  },
  {
    claim: "| `baseUrl` | `PERMISO_BASE_URL`, then `https://alb.permiso.io` | As for the client. |",
    tests: [`${GUARD_TEST} > takes the key and URL from PERMISO_API_KEY and PERMISO_BASE_URL`, `${GUARD_DEFAULTS} > baseUrl: PERMISO_BASE_URL, then https://alb.permiso.io`],
  },
  {
    claim: "| `failMode` | `\"closed\"` | What a check answers when Permiso gives no decision: `\"closed\"` blocks the tool, `\"open\"` lets it run. |",
    tests: [`${GUARD_TEST} > a dead Permiso blocks the tool (failMode closed, the default)`, `${GUARD_TEST} > a dead Permiso lets the tool run with failMode open, as failed-open`],
  },
  {
    claim: "| `timeoutMs` | `5000` | The whole check, retries included. |",
    tests: [`${GUARD_DEFAULTS} > failMode closed and timeoutMs 5000: a hung Permiso blocks the tool at 5 s`, `${GUARD_TEST} > does not retry when the backoff would not fit`],
  },
  { claim: "| `maxSockets` | `16` | Keep-alive sockets to the endpoint. |", tests: [`${GUARD_DEFAULTS} > maxSockets 16: at most 16 connections to the endpoint at once`] },
  {
    claim: "| `agent`, `sessionId`, `user` | – | Sent with each check. The agent a framework's hook names (OpenAI Agents, Mastra) fills in `agent` first; a linked run's context comes before both. |",
    tests: [
      `${GUARD_TEST} > is the tool_use event, strictly valid, with the guard's context`,
      `${GUARD_TEST} > names the agent the hook reports, over the configured one, keeping the rest`,
      `${GUARD_LINK} > reports each call once, in the bridge's run, with its eventId and context; results still come from the spans`,
    ],
  },
  {
    claim: "| `captureContent` | `true`, or the linked processor's | `false` sends the call without its `input` and without the agent's system prompt (below). |",
    tests: [
      `${GUARD_CONTENT} > by default, sends the input and the system prompt`,
      `${GUARD_CONTENT} > captureContent: false sends the call without its input or the system prompt; Permiso still decides by the tool`,
      `${GUARD_CONTENT} > are the guard's when it does not set its own`,
    ],
  },
  {
    claim: "| `mask` | –, or the linked processor's | `(body) => body \\| null`, may be async: sees the `tool_use` request body as it will be sent, after truncation. `null` here means no mask, even when the processor has one. |",
    tests: [
      `${GUARD_CONTENT} > sees the tool_use body as it will be sent (after truncation), and what it returns is sent`,
      `${GUARD_CONTENT} > may be async`,
      `${GUARD_CONTENT} > give way to the guard's own: captureContent, maxFieldLength, and mask: null for none`,
      `${GUARD_CONTENT} > a mask of the guard's own replaces the processor's`,
    ],
  },
  {
    claim: "| `maxFieldLength` | `100000`, or the linked processor's | Longest `input` (as JSON text) and system prompt; longer ones end with `…[truncated N chars]`. |",
    tests: [
      `${GUARD_DEFAULTS} > maxFieldLength 100000: an input of 100,000 characters as JSON goes whole, one more is cut`,
      `${GUARD_CONTENT} > cuts the input (as JSON text) and the system prompt, with a visible marker`,
      `${GUARD_CONTENT} > inherit maxFieldLength`,
    ],
  },
  {
    claim: "Other values throw at construction, naming the option (`failMode must be \"closed\" or \"open\" (got \"opn\")`).",
    tests: [`${GUARD_TEST} > %j throws at construction, naming the option`, `${GUARD_CONTENT} > %o is refused at construction, naming the option`],
  },
  {
    claim: "Linked to a processor, it takes the processor's `captureContent`, `mask` and `maxFieldLength` for each one it does not set itself: what the bridge withholds from Permiso, the guard does not send either.",
    tests: [`${GUARD_CONTENT} > are the guard's when it does not set its own`, `${GUARD_CONTENT} > inherit maxFieldLength`, `${GUARD_CONTENT} > give way to the guard's own: captureContent, maxFieldLength, and mask: null for none`],
  },
  {
    claim: "`captureContent: false` sends the tool's name and call id, the agent's name, the session and the user, and no `input` or system prompt. Permiso still decides, but a policy cannot look at input it never receives",
    tests: [
      `${GUARD_CONTENT} > captureContent: false sends the call without its input or the system prompt; Permiso still decides by the tool`,
      `${GUARD_CONTENT} > the trade-off: a policy on the input cannot see input it never receives`,
    ],
  },
  {
    claim: "If it throws, rejects, or returns something the endpoint would refuse or JSON cannot encode, the call is sent with its content redacted (`input` and the system prompt removed), never unmasked; `getStats().maskFailures` counts it and `diag` reports it once per burst.",
    tests: [`${GUARD_CONTENT} > that %s fails closed: the call is sent with its content redacted, never unmasked, and counted`],
  },
  {
    claim: "A mask that returns `null` withholds the call: Permiso is not asked, so there is no decision and the fail mode decides (`failed-closed` by default), with the reason \"The mask withheld the tool call from Permiso\", counted as `noDecision.withheld`.",
    tests: [`${GUARD_CONTENT} > that withholds the call (null): Permiso is not asked, and failMode %s decides`],
  },
  {
    claim: "A mask that has not settled by `timeoutMs` leaves the call unchecked: the fail mode decides, and nothing is sent.",
    tests: [`${GUARD_CONTENT} > that never settles: decided by the fail mode at timeoutMs, nothing sent`],
  },
  {
    claim: "The guard's `tool_use` goes to the run the bridge reports the call in: the run holding the model's call of that tool (read from the model call's span, which has ended by the time a tool is asked about), else the run of the span active when the hook runs, child runs of sub-agents included. It carries that run's agent, session and user, and the bridge's eventId, `<runId>:tool_use:<toolUseId>`.",
    tests: [
      `${GUARD_LINK} > reports each call once, in the bridge's run, with its eventId and context; results still come from the spans`,
      `${GUARD_LINK} > goes to the sub-agent's child run for a sub-agent's tool`,
      "test/otel/guard-link.test.ts > gives the active span's run and context, and leaves a reported tool_use to the guard",
    ],
  },
  {
    claim: "The agent's name and system prompt come from what the bridge knows of the run, then from the framework's hook (OpenAI Agents' agent; Mastra's agent and, with Mastra's observability on, its instructions), then from the guard's `agent` option.",
    tests: [...GUARD_LINK_FRAMEWORKS, `${GUARD_TEST} > names the agent the hook reports, over the configured one, keeping the rest`],
  },
  {
    claim: "Once Permiso has the guard's `tool_use`, the processor never sends it; the `tool_result` still comes from the spans. A call the guard was never asked about, or did not get to Permiso (unreachable, failing open), the processor sends itself, when the tool's span ends (just before its result) or before the run's stop.",
    tests: [
      `${GUARD_LINK} > reports each call once, in the bridge's run, with its eventId and context; results still come from the spans`,
      `${GUARD_LINK} > a call the guard did not get to Permiso is reported once, by the bridge, before its result`,
      `${GUARD_LINK} > calls blocked without a decision (no tool span) are reported once, by the bridge, before the run's stop`,
      `${GUARD_LINK} > a tool the guard is never asked about is reported by the bridge when its span ends`,
      "test/otel/guard-link.test.ts > still sends a tool_use the guard did not report, before its result",
    ],
  },
  {
    claim: "A sub-agent's tool call checked before its span said so therefore stays in its parent's run, with the rest of that sub-agent's events (named after the sub-agent), rather than getting a child run.",
    tests: GUARD_LINK_FRAMEWORKS,
  },
  {
    claim: "Only a `PermisoSpanProcessor` of the same package can be linked: an exporter sees spans only once they end, too late to know the run of a tool about to run. Anything else throws at construction.",
    tests: [`${GUARD_LINK} > refuses %s as the processor, at construction`, "test/otel/guard-link.test.ts > is carried by the processor only, typed, and off its enumerable surface"],
  },
  {
    claim: "call `generateText` inside a span of your own (your request's) and the guard reports in that trace's run, with the context of its agent when one agent is running in it. Otherwise it reports in its own run, and the bridge reports the call in the agent's.",
    tests: [
      `${GUARD_LINK} > inside the app's own active span, reports each call once, in the trace's run`,
      `${GUARD_LINK} > with no span active and the model's output not known yet, the guard reports in its own run and the bridge still reports the call in the agent's`,
    ],
  },
  {
    claim: "Tested on the AI SDK 7 (`@ai-sdk/otel`, both integrations), LangChain v1 and OpenAI Agents JS (OpenInference; Chat Completions and Responses) and Mastra (`@mastra/otel-bridge`): each tool call's `tool_use` once, in the run of the rest of the turn, before its `tool_result`; the stop last; the agent's name and system prompt on every event.",
    tests: [
      `${GUARD_LINK} > reports each call once, in the bridge's run, with its eventId and context; results still come from the spans`,
      `${GUARD_LINK} > inside the app's own active span, reports each call once, in the trace's run`,
      ...GUARD_LINK_FRAMEWORKS,
    ],
  },
  {
    claim: "Without a processor, the guard reports in the run of the active span's trace (`runIdForTrace`), or with no span active in a run of its own (one per guard).",
    tests: [`${GUARD_TEST} > goes to the run of the active span's trace`, `${GUARD_TEST} > is the tool_use event, strictly valid, with the guard's context`],
  },
  {
    claim: "Permiso gives no decision when it cannot be reached, does not answer within `timeoutMs`, answers a status other than 2xx (after the retries that fit), or answers something that is not a decision (not JSON, not an object, `permission` other than `\"allow\"`/`\"deny\"`, `continue` not a boolean; `null` fields count as absent).",
    tests: [`${GUARD_TEST} > %s is no decision`, `${GUARD_TEST} > %s allows the call`, `${GUARD_TEST} > a dead Permiso blocks the tool (failMode closed, the default)`, HUNG_PERMISO[0]],
  },
  {
    claim: "**`failMode: \"closed\"`** (the default) blocks the tool. The model is told why, e.g. \"Permiso could not be reached; the tool was blocked (failMode closed).\"",
    tests: [`${GUARD_TEST} > a dead Permiso blocks the tool (failMode closed, the default)`, "test/guard/ai-sdk.test.ts > a dead Permiso blocks every tool (failMode closed) and the model is told why"],
  },
  {
    claim: "**`failMode: \"open\"`** lets the tool run, unchecked, with the outcome `failed-open`.",
    tests: [`${GUARD_TEST} > a dead Permiso lets the tool run with failMode open, as failed-open`],
  },
  {
    claim: "Either way the decision is never passed off as Permiso's: the outcome says whose it was, `decision.failure` says why (`timeout`, `unreachable`, `http-error`, `invalid-answer`, `invalid-call`, `no-api-key`, `closed`, `withheld`)",
    tests: [
      `${GUARD_TEST} > %s is no decision`,
      `${GUARD_TEST} > a dead Permiso blocks the tool (failMode closed, the default)`,
      HUNG_PERMISO[0],
      `${GUARD_TEST} > %j is not checked and never throws`,
      `${GUARD_TEST} > without an API key, checks fail by the fail mode and nothing is sent`,
      `${GUARD_TEST} > a closed guard gives no decision`,
      `${GUARD_CONTENT} > that withholds the call (null): Permiso is not asked, and failMode %s decides`,
    ],
  },
  {
    claim: "`guard.getStats()` counts it apart from Permiso's decisions (`checks`, `allowed`, `denied`, `runsStopped`, `failedClosed`, `failedOpen`, `noDecision` by cause, and `maskFailures`), and `diag` reports it once per burst (at error level for a missing or refused key).",
    tests: [
      `${GUARD_TEST} > reports failures through diag once per burst, never the key`,
      `${GUARD_TEST} > a %i is reported at error level, as configuration`,
      `${GUARD_TEST} > without an API key, checks fail by the fail mode and nothing is sent`,
      `${GUARD_CONTENT} > that withholds the call (null): Permiso is not asked, and failMode %s decides`,
    ],
  },
  {
    claim: "A retry (429, 502, 503, 504, network errors) is made only when its backoff, at least 400 ms, fits in what is left of `timeoutMs`.",
    tests: [`${GUARD_TEST} > retries a 503 when the retry fits in timeoutMs`, `${GUARD_TEST} > does not retry when the backoff would not fit`],
  },
  {
    claim: "A guarded tool runs only when Permiso allowed it, or when Permiso gave no decision and `failMode` is `\"open\"`.",
    tests: [
      "test/guard/ai-sdk.test.ts > generateText: the allowed tool runs, the denied one reaches the model with Permiso's reason",
      "test/guard/ai-sdk.test.ts > a dead Permiso blocks every tool (failMode closed) and the model is told why",
      "test/guard/ai-sdk.test.ts > a dead Permiso lets tools run with failMode open",
      "test/guard/mcp.test.ts > continue: false throws PermisoRunStoppedError and the tool does not run",
    ],
  },
  {
    claim: "A check is decided within `timeoutMs` (plus the moment it takes to close the attempt), whatever Permiso or the mask does.",
    tests: [...HUNG_PERMISO, `${GUARD_CONTENT} > that never settles: decided by the fail mode at timeoutMs, nothing sent`],
  },
  {
    claim: "What `captureContent: false` or the mask withholds is never sent, and a failing mask never lets content through unmasked.",
    tests: [
      `${GUARD_CONTENT} > captureContent: false sends the call without its input or the system prompt; Permiso still decides by the tool`,
      `${GUARD_CONTENT} > that %s fails closed: the call is sent with its content redacted, never unmasked, and counted`,
    ],
  },
  {
    claim: "Nothing the guard does throws into the host, except the errors that end a run on `continue: false` where the framework ends runs that way.",
    tests: [`${GUARD_TEST} > %j is not checked and never throws`, `${GUARD_TEST} > input JSON cannot encode is named`, "test/guard/ai-sdk.test.ts > continue: false ends the call with PermisoRunStoppedError; no tool runs, the model is not asked again"],
  },
  {
    claim: "The guard's requests are not traced by HTTP instrumentation, and the API key never appears in a reason, a `diag` line or an error.",
    tests: [`${GUARD_DEFAULTS} > its requests are not traced, even with HTTP instrumentation loaded`, `${GUARD_TEST} > reports failures through diag once per burst, never the key`],
  },
  {
    claim: "Latency: ≈1.1–1.2× a raw keep-alive request to the same endpoint at p50, ≈1.3× linked to the processor",
    benchmark: { file: "bench/guard-latency.mjs", section: "Guard latency (", figures: ["≈1.1–1.2×", "1.27×–1.30×"] },
  },
  {
    claim: "The mask sees each check's body as it will be sent (after truncation) and returns it changed.",
    tests: [`${GUARD_CONTENT} > sees the tool_use body as it will be sent (after truncation), and what it returns is sent`],
  },
  {
    claim: "So a linked processor holds every model's `tool_use` until its tool's span ends, guarded or not: those arrive later than they would without a guard, still before their results.",
    tests: [
      `${GUARD_LINK} > a tool the guard is never asked about is reported by the bridge when its span ends`,
      `${GUARD_LINK} > a call the guard did not get to Permiso is reported once, by the bridge, before its result`,
      "test/otel/guard-link.test.ts > still sends a tool_use the guard did not report, before its result",
    ],
  },
  {
    claim: "Some instrumentations say what a span is only when it ends (OpenInference's OpenAI Agents and LangChain tracers, Mastra's OpenTelemetry bridge), so the agent's span has not said it is one when the guard is asked. The run is fixed then; when the agent's span ends it still names the processor's events, which wait for it as they do without a guard.",
    tests: GUARD_LINK_FRAMEWORKS,
  },
  {
    claim: "The guard's own `tool_use` is sent when the tool is about to run, outside the bridge's queue, so it can reach Permiso before bridge events that precede it (the model's text of that step); timestamps keep the order.",
    tests: [`${GUARD_LINK} > timestamps keep the order: each guard's tool_use after the step's text, before its result`],
  },
  {
    claim: "asks Permiso before a tool runs, on each framework's own hook (AI SDK `toolApproval`, LangChain middleware, OpenAI Agents tool guardrails, Mastra `beforeToolCall`, MCP `callTool`), and blocks it when Permiso denies, failing closed when Permiso cannot answer.",
    tests: [
      "test/guard/ai-sdk.test.ts > generateText: the allowed tool runs, the denied one reaches the model with Permiso's reason",
      "test/guard/langchain.test.ts > the allowed tool runs; the denied one answers the model with Permiso's reason",
      "test/guard/openai-agents.test.ts > on each tool: the allowed one runs, the denied one's output is Permiso's reason",
      "test/guard/mastra.test.ts > the allowed tool runs; the denied one's output is Permiso's reason",
      "test/guard/mcp.test.ts > an allowed call reaches the server; a denied one is a tool error with Permiso's reason",
      `${GUARD_TEST} > a dead Permiso blocks the tool (failMode closed, the default)`,
    ],
  },
];

const RECEIVER_TEST = "test/dev-server/receiver.test.ts";
const RECEIVER_CLI = "test/dev-server/cli.test.ts";
const VIEWER = "test/dev-server/viewer.test.ts";
const POLICY = "test/dev-server/tool-policy.test.ts";
const EXAMPLES_TEST = "test/examples/examples.test.ts";
const RECEIVER: Claim[] = [
  {
    claim: "npx permiso-hooks dev --port 8787 --log events.jsonl",
    tests: [`${RECEIVER_CLI} > reads the dev command with defaults and with every flag`, `${RECEIVER_CLI} > receives hooks on a free port, prints and logs them, and stops cleanly on SIGTERM`],
  },
  {
    claim: "`npx permiso-hooks --help` lists the commands (`dev`, and `gateway` above); `permiso-hooks dev --help` lists the receiver's options.",
    tests: [`${RECEIVER_CLI} > --help names every command, dev --help gives dev's options, gateway --help the gateway's`, `${RECEIVER_CLI} > lists every command, one line each, within 80 columns`],
  },
  {
    claim: "`POST /hooks` validates exactly like the endpoint (unknown keys refused, tool input nested more than 100 levels refused) and answers 400 with every problem by path, or 401 without `x-api-key`.",
    tests: [
      `${RECEIVER_TEST} > answers 400 listing every problem by path: missing, unknown and mistyped fields`,
      `${RECEIVER_TEST} > answers 401 without x-api-key, and 200 {} for a valid request`,
      `${RECEIVER_TEST} > refuses a tool input nested 5,000 levels with a 400 naming the limit, and keeps serving`,
    ],
  },
  {
    claim: "Accepted events are kept in memory (and appended to the JSONL log) and printed one per line, with control characters from the events written out as escapes (`\\u001b`), so model-written text cannot drive the terminal.",
    tests: [
      `${RECEIVER_TEST} > nests child runs under their parents, keeps events in order, and appends JSON lines`,
      `${RECEIVER_CLI} > receives hooks on a free port, prints and logs them, and stops cleanly on SIGTERM`,
      `${RECEIVER_CLI} > are written out as escapes in event lines: hook, run id and text`,
      `${RECEIVER_CLI} > are written out in reject lines`,
      `${RECEIVER_CLI} > are written out in the run tree, while its own colours stay`,
    ],
  },
  {
    claim: "`GET /` is a live run viewer: the newest run first, sub-runs where the tool call that started them sits, a filter (`agent:`, `session:`, `user:`, `tool:`, `run:` or any text), collapse and expand all, the system prompt on demand, denied tool calls marked.",
    tests: [
      `${VIEWER} > renders runs as a tree with their events in order and their stop summaries`,
      `${VIEWER} > updates live when events arrive, without reloading the page`,
      `${VIEWER} > shows a sub-run where its tool call started it, before the parent's stop`,
      `${VIEWER} > filters runs by agent, session, user, tool or text`,
      `${VIEWER} > collapses and expands every run`,
      `${VIEWER} > shows the system prompt on demand`,
      `${VIEWER} > marks tool calls the receiver denied`,
    ],
  },
  {
    claim: "It reads the store once and then follows each new event as it arrives, drawing only the runs near the screen: with 20,000 events in 200 runs it meets its targets, a first render within 1.5 s and a new event on screen within 1 s",
    tests: ["test/dev-server/viewer-scale.test.ts > renders 20,000 events in 200 runs quickly, and shows a live event as a delta"],
    benchmark: { file: "bench/viewer.ts", section: "Viewer", figures: ["20,000 events in 200 runs", "| ≤ 1,500 ms |", "| ≤ 1,000 ms |", "| 0 | 0 | PASS |"] },
  },
  {
    claim: "| `--port` / `port` | `8787` | `0` picks a free port. |",
    tests: [`${RECEIVER_CLI} > reads the dev command with defaults and with every flag`, `${RECEIVER_CLI} > receives hooks on a free port, prints and logs them, and stops cleanly on SIGTERM`],
  },
  {
    claim: "| `--host` / `host` | `127.0.0.1` | `0.0.0.0` makes prompts reachable from the network (the CLI warns). |",
    tests: [
      `${RECEIVER_CLI} > reads the dev command with defaults and with every flag`,
      `${RECEIVER_TEST} > binds 127.0.0.1, and keeps 100,000 events and 256 MiB unless told otherwise`,
      `${RECEIVER_CLI} > warns that listening on every interface exposes prompts`,
    ],
  },
  {
    claim: "Requests naming any host but `localhost`, `127.0.0.1`, `[::1]`, the bound address and these are refused (403), so a web page cannot read the runs through DNS rebinding.",
    tests: [`${RECEIVER_TEST} > answers only loopback names, the bound address and allowed hosts`, `${RECEIVER_TEST} > refuses state changes from another origin`],
  },
  {
    claim: "| `--log FILE` / `logFile` | – | Append each accepted request as a JSON line (with `receivedAt`, and `decision` when denied). |",
    tests: [`${RECEIVER_TEST} > nests child runs under their parents, keeps events in order, and appends JSON lines`, `${RECEIVER_TEST} > answers deny for --deny-tool names and matching policy rules, {} otherwise, and records the decision`],
  },
  {
    claim: "| `--deny-tool NAME` / `denyTools` | – | Deny every call of this tool (repeatable). |",
    tests: [`${RECEIVER_CLI} > answers --deny-tool and --policy decisions and prints them`, `${RECEIVER_TEST} > answers deny for --deny-tool names and matching policy rules, {} otherwise, and records the decision`],
  },
  {
    claim: "| `--policy FILE` / `policy` | – | Deny tool calls by rules (below). From code: `policy: await loadToolPolicy(file)` or `parseToolPolicy(object)`. |",
    tests: [`${RECEIVER_CLI} > answers --deny-tool and --policy decisions and prints them`, `${POLICY} > reads a file, naming the file in its errors`],
  },
  {
    claim: "| `--max-events N` / `maxEvents`, `maxBytes` | 100,000 events, 256 MiB | Past either, the oldest runs are evicted whole; the CLI and the viewer say so. |",
    tests: [
      `${RECEIVER_TEST} > binds 127.0.0.1, and keeps 100,000 events and 256 MiB unless told otherwise`,
      `${RECEIVER_TEST} > evicts the oldest runs past maxEvents, counts them and says so`,
      `${RECEIVER_TEST} > bounds bytes too: one huge run keeps only its newest events`,
      `${RECEIVER_CLI} > prints a line when runs are evicted, nothing on a clear`,
      `${VIEWER} > says how many runs were evicted and drops them from the page as it happens`,
    ],
  },
  {
    claim: "Refused requests keep only their problems and the first 2 KB of the last 100 bodies (`receiver.rejected`, `receiver.rejectedCount`).",
    tests: [`${RECEIVER_TEST} > keeps the problems of every refused request and the first 2 KB of the last 100 bodies`, `${RECEIVER_TEST} > keeps only the problems and a short start of rejected bodies, and frees them on clear`],
  },
  {
    claim: "A `tool_use` event that `--deny-tool` names, or that a policy rule matches, is answered the way Permiso answers it: `{ \"permission\": \"deny\", \"agent_message\": \"…\" }`, plus `user_message` and `\"continue\": false` when the rule has them; anything else gets `{}`. The CLI prints `DENIED` with the rule, the viewer marks the call.",
    tests: [
      `${RECEIVER_TEST} > answers deny for --deny-tool names and matching policy rules, {} otherwise, and records the decision`,
      `${POLICY} > answers what Permiso answers, and decides only tool_use events`,
      `${RECEIVER_CLI} > answers --deny-tool and --policy decisions and prints them`,
      `${VIEWER} > marks tool calls the receiver denied`,
    ],
  },
  {
    claim: "`rules` are tried in order (after the `--deny-tool` names); the first match decides.",
    tests: [`${POLICY} > checks --deny-tool names first, then rules in order; the first match decides`],
  },
  {
    claim: "`input` (optional): conditions by path into the tool's input, all of which must hold.",
    tests: [`${POLICY} > needs every condition, and a path that is missing matches nothing`],
  },
  {
    claim: "A path the input does not have matches nothing.",
    tests: [`${POLICY} > needs every condition, and a path that is missing matches nothing`],
  },
  {
    claim: "`continue` (optional): only `false`, which ends the run.",
    tests: [`${POLICY} > refuses %j: %s`],
  },
  {
    claim: "A policy that does not fit is refused at start with the field and what was expected, e.g. `policy.json: policy.rules[1].input[\"command\"].matches is not a valid regular expression: …`.",
    tests: [`${POLICY} > refuses %j: %s`, `${POLICY} > reads a file, naming the file in its errors`, `${RECEIVER_CLI} > names the field when the policy file is wrong`],
  },
  {
    claim: "`GET /api/runs` returns runs with their events, child runs nested under their parents (runs whose `parentRunId`s form a loop are top-level, with a warning); `GET /api/events?after=SEQ` the events after a sequence number; `GET /api/live` a server-sent event stream of new events (`event: hook`, `id: SEQ`), evictions and resets; `DELETE /api/runs` clears.",
    tests: [
      `${RECEIVER_TEST} > nests child runs under their parents, keeps events in order, and appends JSON lines`,
      `${RECEIVER_TEST} > are shown as top-level runs with a warning`,
      `${RECEIVER_TEST} > reads events after a seq, and streams new ones as deltas with their seq as id`,
      `${RECEIVER_TEST} > keeps only the problems and a short start of rejected bodies, and frees them on clear`,
    ],
  },
  {
    claim: "`tool`: the tool's name, or `\"*\"` for any tool. Required.",
    tests: [`${POLICY} > tool names one tool, or "*" any tool`, `${POLICY} > refuses %j: %s`],
  },
  {
    claim: "A path is dotted (`url`, `headers.host`, `files.0`); `$` is the whole input as JSON text. A condition is one of `{ \"equals\": <any JSON> }`, `{ \"contains\": \"text\" }` (a string value containing it) or `{ \"matches\": \"regex\" }` (a string value matching it; JavaScript syntax, case-sensitive).",
    tests: [`${POLICY} > equals takes any JSON; contains and matches only strings, matches case-sensitive; $ is the whole input as JSON text`, `${POLICY} > checks --deny-tool names first, then rules in order; the first match decides`],
  },
  {
    claim: "`agent_message`: the reason given to the model. Required.",
    tests: [`${POLICY} > answers what Permiso answers, and decides only tool_use events`, `${POLICY} > refuses %j: %s`],
  },
  {
    claim: "`user_message` (optional): for the person, never for the model.",
    tests: [`${POLICY} > answers what Permiso answers, and decides only tool_use events`, `${GUARD_TEST} > a denial gives the model agent_message and keeps user_message for the person`],
  },
];

const EXAMPLES: Claim[] = [
  {
    claim: "Each runs offline against the local receiver (`PERMISO_BASE_URL`, `PERMISO_API_KEY` from the environment) and is exercised by `test/examples/examples.test.ts`.",
    tests: [
      `${EXAMPLES_TEST} > direct-client.ts: a hand-reported turn, a background send, endRun, a refused event`,
      `${EXAMPLES_TEST} > node-sdk.ts: NodeSDK with traceExporter, and no metrics or logs exporter holding the exit`,
      `${EXAMPLES_TEST} > node-tracer-provider.ts: NodeTracerProvider with PermisoSpanProcessor, legacy ai.* spans`,
      `${EXAMPLES_TEST} > vercel-otel.ts: registerOTel with traceExporter`,
      `${EXAMPLES_TEST} > manual-genai.ts: hand-written GenAI spans`,
      `${EXAMPLES_TEST} > commonjs.cjs: the CommonJS build`,
      `${EXAMPLES_TEST} > demo: follows PERMISO_BASE_URL, and shows the trip planner, its sub-agent and the run tree`,
    ],
  },
  {
    claim: "`npm run demo`: an AI SDK trip planner with a research sub-agent, the processor, the run tree; a support agent whose refund Permiso denies and whose model answers with the reason",
    tests: [
      `${EXAMPLES_TEST} > demo: follows PERMISO_BASE_URL, and shows the trip planner, its sub-agent and the run tree`,
      `${EXAMPLES_TEST} > demo: the guarded support agent, one tool allowed and one denied, the model answering with the reason`,
    ],
  },
  {
    claim: "Reports to `PERMISO_BASE_URL` (e.g. a running `permiso-hooks dev`), else to Permiso when `PERMISO_API_KEY` is set, else to a receiver it starts",
    tests: [
      `${EXAMPLES_TEST} > demo: follows PERMISO_BASE_URL, and shows the trip planner, its sub-agent and the run tree`,
      `${EXAMPLES_TEST} > demo: with PERMISO_API_KEY and no PERMISO_BASE_URL, Permiso itself, with that key`,
      `${EXAMPLES_TEST} > demo: without PERMISO_BASE_URL or PERMISO_API_KEY, its own receiver; never a viewer link that is already gone`,
    ],
  },
  {
    claim: "| `examples/direct-client.ts` | the client: a turn, a permission check, a background send, `endRun`, validation |",
    tests: [`${EXAMPLES_TEST} > direct-client.ts: a hand-reported turn, a background send, endRun, a refused event`],
  },
  {
    claim: "| `examples/node-sdk.ts` | NodeSDK with `traceExporter` (and its default metrics and logs exporters turned off, so the process exits at once) |",
    tests: [`${EXAMPLES_TEST} > node-sdk.ts: NodeSDK with traceExporter, and no metrics or logs exporter holding the exit`],
  },
  {
    claim: "| `examples/node-tracer-provider.ts` | NodeTracerProvider with `PermisoSpanProcessor`, AI SDK legacy spans, content capture off |",
    tests: [`${EXAMPLES_TEST} > node-tracer-provider.ts: NodeTracerProvider with PermisoSpanProcessor, legacy ai.* spans`, `${EXAMPLES_TEST} > node-tracer-provider.ts with content capture off`],
  },
  { claim: "| `examples/vercel-otel.ts` | `@vercel/otel`'s `registerOTel` |", tests: [`${EXAMPLES_TEST} > vercel-otel.ts: registerOTel with traceExporter`] },
  { claim: "| `examples/manual-genai.ts` | an agent instrumented by hand with GenAI attributes |", tests: [`${EXAMPLES_TEST} > manual-genai.ts: hand-written GenAI spans`] },
  { claim: "| `examples/commonjs.cjs` | `require()` |", tests: [`${EXAMPLES_TEST} > commonjs.cjs: the CommonJS build`] },
];

const INTAKE = "test/otel/span-intake.test.ts";
const ARCHITECTURE: Claim[] = [
  {
    claim: "an OTLP receiver can decode OTLP into the same `SpanRecord` and feed the same engine.",
    tests: ["test/gateway/gateway-equivalence.test.ts > the gateway over OTLP %s > sends exactly the requests the in-process exporter sends", "test/gateway/otlp-decoding.test.ts > decodes to the span records the in-process exporter reads"],
  },
  {
    claim: "when a span ends, the open spans above it are read again (attributes set after a start count), and it waits while one of them is a model call still open, or could still turn out to be an agent. The same composer then produces the same events.",
    tests: [
      "test/engine/release-policy.test.ts > known from the start (processor) > attributes set on an open span after its start are read when a child ends",
      "test/engine/recorded-runs.test.ts > %s: both release policies send the same requests",
      "test/engine/recorded-runs.test.ts > %s %s: both release policies send the same requests",
    ],
  },
  {
    claim: "Whether a span is an agent is fixed once a run was resolved through it, so runs already sent never change.",
    tests: ["test/engine/trace-graph.test.ts > an open span that turns out to be an agent afterwards joins the run its scope was given, under an agent"],
  },
  {
    claim: "**Nothing on the host's call stack.** `onStart`, `onEnd` and `export()` (which a BatchSpanProcessor calls from inside `span.end()` when its batch fills) only record what they are handed; the intake gives it to the engine in a microtask right after the host's code, or at once when a flush, a shutdown or a guard needs the engine's state.",
    tests: [
      `${INTAKE} > the processor's onStart and onEnd only record; the work happens right after the host's code`,
      `${INTAKE} > export() returns before the spans are read`,
      `${INTAKE} > forceFlush() hands over what was just recorded, and delivers it`,
      `${INTAKE} > a guard's question about a span first hands over what was recorded`,
    ],
  },
  {
    claim: "`flushPermiso()` reaches every exporter and processor through a registry on `globalThis` (shared by the ESM and CommonJS builds, held weakly), because `provider.forceFlush()` cannot reach an exporter whose BatchSpanProcessor has nothing buffered.",
    tests: [
      "test/package/entries.test.ts > flushPermiso() from either build flushes the exporters and processors the other made",
      "test/otel/flush-permiso.test.ts > covers what provider.forceFlush() cannot reach: a BatchSpanProcessor whose buffer is empty",
    ],
  },
  {
    claim: "Transports never throw; they return `success`, `failure` or `retryable`. Retrying is a decorator; the policy (what is retryable, `Retry-After`, backoff) is its own module, tested with a virtual clock.",
    tests: [
      "test/transport/retry-policy.test.ts > retries 429, 502, 503, 504 only",
      "test/transport/retry-policy.test.ts > reads Retry-After as seconds or an HTTP date",
      "test/transport/retry-policy.test.ts > backs off exponentially within ±20 % and caps at 5 s",
      "test/transport/retrying-transport.test.ts > retries with exponential backoff up to maxRetries",
      "test/transport/retrying-transport.test.ts > lets Retry-After win, and gives up when it is longer than a minute",
    ],
  },
  {
    claim: "The GenAI and AI SDK `ai.*` readers are tested on recorded AI SDK 7 runs (`test/fixtures/ai-sdk/`, re-recorded with `npm run fixtures:ai-sdk`).",
    tests: ["test/engine/recorded-runs.test.ts > recorded AI SDK 7 runs (%s) > the weather agent becomes the worked example's six events"],
  },
  {
    claim: "**The mask sees the final body**, after every convention is mapped, so one function covers all of them.",
    tests: ["test/otel/options.test.ts > sees each final body, may change it or drop it, and may be async", "test/otel/options.test.ts > sees each body after truncation"],
  },
];

const DEVELOPMENT: Claim[] = [
  {
    claim: "`npm run test:compat` runs the bridge's and the engine's tests on 20, 22 and 24, and a smoke run of the built package on 18.19.",
    tests: [...NODE_18_SMOKE, 'scripts/compat-matrix.mjs > const suite = ["test/otel", "test/engine"];'],
  },
  {
    claim: "The viewer tests drive headless Chromium: the one named by `CHROMIUM_PATH`, else a `chromium` or `google-chrome` on `PATH`, else the Chromium shipped in the npm package `@sparticuz/chromium`",
    tests: [
      "test/dev-server/chromium.test.ts > takes CHROMIUM_PATH first, and refuses one that cannot run",
      "test/dev-server/chromium.test.ts > then a chromium on PATH",
      "test/dev-server/chromium.test.ts > else, or with CHROMIUM_PATH=packaged, the packaged one",
      "test/dev-server/chromium.test.ts > unpacks and renders the viewer",
    ],
  },
  {
    claim: "`CHROMIUM_PATH=packaged npm test` forces the packaged one.",
    tests: ["test/dev-server/chromium.test.ts > else, or with CHROMIUM_PATH=packaged, the packaged one"],
  },
  {
    claim: "the build bundles it into the package, and running from source bundles it on first use.",
    tests: ["test/dev-server/built-viewer.test.ts > serves the same bundled script from the ESM and the CommonJS build", "test/dev-server/built-viewer.test.ts > leaves no bundler in the build", "test/dev-server/viewer.test.ts > renders runs as a tree with their events in order and their stop summaries"],
  },
  { claim: "The package runs on Node.js 18.19 and later.", tests: NODE_18_SMOKE },
  {
    claim: "`npm test` skips those, saying why, until they are built",
    tests: ["test/gateway/external-tools.test.ts > when absent, the tests that need them skip, saying how to build them"],
  },
  {
    claim: "sets `PERMISO_REQUIRE_EXTERNAL=1` so that in CI they run or fail, never skip.",
    tests: ["test/gateway/external-tools.test.ts > with PERMISO_REQUIRE_EXTERNAL=1, an absent tool fails instead of skipping"],
  },
];

export const CLAIMS: Claim[] = [...OVERVIEW, ...THREE_LINES, ...CLIENT, ...BRIDGE, ...SPANS_TO_EVENTS, ...RUNS, ...DELIVERY, ...BURSTS, ...FRAMEWORKS, ...GUARD, ...GATEWAY, ...RECEIVER, ...EXAMPLES, ...ARCHITECTURE, ...DEVELOPMENT];
