/**
 * Mastra agents as their users write them (`Agent`, `createTool`, a
 * `Mastra` instance with observability), the model an OpenAI-compatible
 * endpoint on the fake server. Traced two ways: `@mastra/otel-exporter`
 * handed the bridge's exporter, or `@mastra/otel-bridge` creating real
 * OpenTelemetry spans on the app's tracer provider.
 */
import { Agent } from "@mastra/core/agent";
import { Mastra } from "@mastra/core/mastra";
import { createTool } from "@mastra/core/tools";
import { Observability } from "@mastra/observability";
import { OtelBridge } from "@mastra/otel-bridge";
import { OtelExporter } from "@mastra/otel-exporter";
import { z } from "zod";
import type { SpanExporterLike } from "../bridge-harness.js";
import type { TestProvider } from "../otel-sdk.js";
import { FIRST_TURN, forecastFor, lookupAnswer, MODEL, PROMPTS, type ScenarioId } from "./scenarios.js";
import type { ExporterScenario, ProviderScenario, ScenarioEnv } from "./suite.js";

const weather = createTool({
  id: "weather",
  description: "Current weather for a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => forecastFor(city),
});

const lookup = createTool({
  id: "lookup",
  description: "Encyclopedia lookup",
  inputSchema: z.object({ q: z.string() }),
  execute: async ({ q }) => lookupAnswer(q),
});

/** How the scenario's spans leave Mastra. */
type Tracing = { exporter: SpanExporterLike } | { provider: TestProvider };

function observabilityFor(tracing: Tracing): Observability {
  if ("exporter" in tracing) {
    return new Observability({
      configs: {
        otel: {
          serviceName: "weather-service",
          exporters: [
            new OtelExporter({
              // Required, though unused once an exporter is given; logs off, or Mastra sends them there.
              provider: { custom: { endpoint: "unused" } },
              exporter: tracing.exporter as never,
              signals: { logs: false },
            }),
          ],
        },
      },
    });
  }
  return new Observability({
    configs: { default: { serviceName: "weather-service", bridge: new OtelBridge({ tracerProvider: tracing.provider as never }) } },
  });
}

/** What `generate` and `stream` take: a prompt, or the conversation so far. */
type Input = Parameters<Agent["generate"]>[0];

function agents({ server, apiKey }: ScenarioEnv) {
  const model = { id: `openai/${MODEL}` as const, url: server.baseURL, apiKey };
  const weatherAgent = new Agent({ id: "weather-agent", name: "weather-agent", instructions: PROMPTS.weatherSystem, model, tools: { weather } });
  const researcher = new Agent({ id: "research-agent", name: "research-agent", instructions: PROMPTS.researcherSystem, model, tools: { lookup } });
  const research = createTool({
    id: "research",
    description: "Ask the research agent",
    inputSchema: z.object({ input: z.string() }),
    // The tool's tracing context makes the sub-agent's run a child of this tool call.
    execute: async ({ input }, context) => (await researcher.generate(input, { tracingContext: context?.tracingContext })).text,
  });
  const orchestrator = new Agent({ id: "orchestrator", name: "orchestrator", instructions: PROMPTS.orchestratorSystem, model, tools: { research } });
  return { weatherAgent, researcher, orchestrator };
}

type Turn = (env: ScenarioEnv, tracing: Tracing) => Promise<void>;

function ask(agentName: "weatherAgent" | "orchestrator", messages: Input, stream = false): Turn {
  return async (env, tracing) => {
    const observability = observabilityFor(tracing);
    const { weatherAgent, researcher, orchestrator } = agents(env);
    const mastra = new Mastra({ agents: { weatherAgent, researcher, orchestrator }, observability, logger: false });
    const agent = mastra.getAgent(agentName);
    if (stream) {
      const output = await agent.stream(messages);
      for await (const _chunk of output.textStream) {
        // Consumed to the end, as a UI would.
      }
    } else {
      await agent.generate(messages);
    }
    await observability.flush();
  };
}

const TURNS: Partial<Record<ScenarioId, Turn>> = {
  "one-tool": ask("weatherAgent", PROMPTS.weather),
  "two-tools": ask("weatherAgent", PROMPTS.twoCities),
  "failing-tool": ask("weatherAgent", PROMPTS.atlantis),
  streaming: ask("weatherAgent", PROMPTS.weather, true),
  "second-turn": ask("weatherAgent", [...FIRST_TURN, { role: "user", content: PROMPTS.followUp }]),
  "agent-as-tool": ask("orchestrator", PROMPTS.tides),
  "no-tool": ask("weatherAgent", PROMPTS.hello),
};

const mapTurns = <T>(make: (turn: Turn) => T): Partial<Record<ScenarioId, T>> =>
  Object.fromEntries(Object.entries(TURNS).map(([id, turn]) => [id, make(turn)]));

/** Through `@mastra/otel-exporter`, which runs its own batch span processor around the exporter. */
export const MASTRA_EXPORTER_SCENARIOS = mapTurns<ExporterScenario>((turn) => (env) => turn(env, { exporter: env.exporter }));

/** Through `@mastra/otel-bridge`, on the app's tracer provider. */
export const MASTRA_BRIDGE_SCENARIOS = mapTurns<ProviderScenario>((turn) => (env) => turn(env, { provider: env.provider }));
