/**
 * Genkit agents as its users write them (`genkit({ plugins })`, `defineTool`,
 * `defineFlow` around `ai.generate`, or `defineAgent` from `genkit/beta`), the model `gpt-4o-mini` through
 * `@genkit-ai/compat-oai`'s `openAICompatible` plugin (named `openai`)
 * pointed at the fake server.
 *
 * Genkit creates its spans with the global OpenTelemetry API
 * (`trace.getTracer("genkit-tracer")`). Its own setup (`enableTelemetry`)
 * starts a NodeSDK that registers itself globally; with that turned off
 * (`disableGenkitOTelInitialization()`), the spans reach the provider the
 * app registered. The tests register one global provider for the file that
 * hands each scenario's spans to that scenario's provider.
 */
import { trace, type Tracer, type TracerProvider } from "@opentelemetry/api";
import { genkit, z, type Genkit } from "genkit";
import { genkit as genkitBeta } from "genkit/beta";
import { disableGenkitOTelInitialization } from "genkit/tracing";
import { openAICompatible } from "@genkit-ai/compat-oai";
import type { TestProvider } from "../otel-sdk.js";
import { FIRST_TURN, forecastFor, lookupAnswer, MODEL, PROMPTS, type ScenarioId } from "./scenarios.js";
import type { ProviderScenario, ScenarioEnv } from "./suite.js";

let current: TestProvider | undefined;
let registered = false;

/** The app's own provider, registered once; Genkit's NodeSDK is kept out of it. */
export function routeGenkitSpansTo(provider: TestProvider): void {
  current = provider;
  if (registered) return;
  disableGenkitOTelInitialization();
  const routing: TracerProvider = {
    getTracer: (name: string, version?: string): Tracer => {
      if (!current) throw new Error("no provider for Genkit's spans");
      return current.getTracer(name, version);
    },
  };
  trace.setGlobalTracerProvider(routing);
  registered = true;
}

/** The model's endpoint, as an OpenAI-compatible provider named `openai`. */
const pluginFor = ({ server, apiKey }: ScenarioEnv) => openAICompatible({ name: "openai", apiKey, baseURL: server.baseURL });

function toolsOf(ai: Genkit) {
  const weather = ai.defineTool(
    { name: "weather", description: "Current weather for a city", inputSchema: z.object({ city: z.string() }) },
    async ({ city }) => forecastFor(city),
  );
  const lookup = ai.defineTool(
    { name: "lookup", description: "Encyclopedia lookup", inputSchema: z.object({ q: z.string() }), outputSchema: z.string() },
    async ({ q }) => lookupAnswer(q),
  );
  return { weather, lookup };
}

function app(env: ScenarioEnv) {
  const ai = genkit({ plugins: [pluginFor(env)] });
  return { ai, ...toolsOf(ai) };
}

async function consume(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of stream) {
    // Read to the end, as a UI would.
  }
}

/** An orchestrator flow whose `research` tool runs another flow, the research agent, with its own tool. */
const delegate: GenkitTurn = async (env) => {
  const { ai, lookup } = app(env);
  const model = `openai/${MODEL}`;
  const researcher = ai.defineFlow({ name: "research-agent", inputSchema: z.string(), outputSchema: z.string() }, async (input) =>
    (await ai.generate({ model, system: PROMPTS.researcherSystem, prompt: input, tools: [lookup] })).text,
  );
  const research = ai.defineTool(
    { name: "research", description: "Ask the research agent", inputSchema: z.object({ input: z.string() }), outputSchema: z.string() },
    async ({ input }) => researcher(input),
  );
  const orchestrator = ai.defineFlow({ name: "orchestrator", inputSchema: z.string(), outputSchema: z.string() }, async (input) =>
    (await ai.generate({ model, system: PROMPTS.orchestratorSystem, prompt: input, tools: [research] })).text,
  );
  return orchestrator(PROMPTS.tides);
};

type Messages = Array<{ role: "user" | "model"; content: Array<{ text: string }> }>;

/** One scenario's turn, wherever Genkit's spans go. */
export type GenkitTurn = (env: ScenarioEnv) => Promise<unknown>;

function ask(prompt: string, options: { stream?: boolean; history?: Messages } = {}): GenkitTurn {
  return async (env) => {
    const { ai, weather } = app(env);
    const agent = ai.defineFlow({ name: "weather-agent", inputSchema: z.string(), outputSchema: z.string() }, async (input) => {
      const request = { model: `openai/${MODEL}`, system: PROMPTS.weatherSystem, messages: options.history, prompt: input, tools: [weather] };
      if (!options.stream) return (await ai.generate(request)).text;
      const { stream, response } = ai.generateStream(request);
      await consume(stream);
      return (await response).text;
    });
    // A failing tool fails the flow; the app would handle that, the test reads the spans.
    return agent(prompt).catch(() => undefined);
  };
}

const history: Messages = FIRST_TURN.map((turn) => ({ role: turn.role === "assistant" ? "model" : "user", content: [{ text: turn.content }] }));

export const GENKIT_TURNS: Partial<Record<ScenarioId, GenkitTurn>> = {
  "one-tool": ask(PROMPTS.weather),
  "two-tools": ask(PROMPTS.twoCities),
  "failing-tool": ask(PROMPTS.atlantis),
  streaming: ask(PROMPTS.weather, { stream: true }),
  "second-turn": ask(PROMPTS.followUp, { history }),
  "agent-as-tool": delegate,
  "no-tool": ask(PROMPTS.hello),
};

/** A turn of an agent made with `defineAgent` (`genkit/beta`), the model and tools the same. */
function chatTurn(prompt: string, options: { stream?: boolean; history?: Messages } = {}): GenkitTurn {
  return async (env) => {
    const ai = genkitBeta({ plugins: [pluginFor(env)] });
    const { weather } = toolsOf(ai);
    const agent = ai.defineAgent({ name: "weather-agent", model: `openai/${MODEL}`, system: PROMPTS.weatherSystem, tools: [weather] });
    // The conversation so far, as a client that keeps it passes it in.
    const chat = agent.chat(options.history ? { state: { messages: options.history } } : undefined);
    if (!options.stream) return chat.send(prompt).catch(() => undefined);
    const turn = chat.sendStream(prompt);
    await consume(turn.stream);
    return turn.response;
  };
}

const GENKIT_AGENT_TURNS: Partial<Record<ScenarioId, GenkitTurn>> = {
  "one-tool": chatTurn(PROMPTS.weather),
  "two-tools": chatTurn(PROMPTS.twoCities),
  "failing-tool": chatTurn(PROMPTS.atlantis),
  streaming: chatTurn(PROMPTS.weather, { stream: true }),
  "second-turn": chatTurn(PROMPTS.followUp, { history }),
  "no-tool": chatTurn(PROMPTS.hello),
};

const routed = (turns: Partial<Record<ScenarioId, GenkitTurn>>): Partial<Record<ScenarioId, ProviderScenario>> =>
  Object.fromEntries(
    Object.entries(turns).map(([id, turn]) => [
      id,
      (env: Parameters<ProviderScenario>[0]) => {
        routeGenkitSpansTo(env.provider);
        return turn(env);
      },
    ]),
  );

/** Flows, each turn's spans routed to the scenario's provider. */
export const GENKIT_SCENARIOS = routed(GENKIT_TURNS);

/** Beta agents, each turn's spans routed to the scenario's provider. */
export const GENKIT_AGENT_SCENARIOS = routed(GENKIT_AGENT_TURNS);
