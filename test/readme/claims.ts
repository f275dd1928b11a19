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

export const CLAIMS: Claim[] = [...OVERVIEW, ...THREE_LINES, ...CLIENT];
