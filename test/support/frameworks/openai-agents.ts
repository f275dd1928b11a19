/**
 * OpenAI Agents JS (`@openai/agents`) as its users write it: agents with
 * function tools, an agent used as a tool, a handoff, run by a `Runner`
 * whose model provider is an `openai` client on the fake server.
 */
import { Agent, assistant, OpenAIProvider, Runner, tool, user, type AgentInputItem } from "@openai/agents";
import OpenAI from "openai";
import { z } from "zod";
import { FIRST_TURN, forecastFor, lookupAnswer, MODEL, PROMPTS, type ScenarioId } from "./scenarios.js";
import type { ProviderScenario, ScenarioEnv } from "./suite.js";

const weather = tool({
  name: "weather",
  description: "Current weather for a city",
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => forecastFor(city),
});

const lookup = tool({
  name: "lookup",
  description: "Encyclopedia lookup",
  parameters: z.object({ q: z.string() }),
  execute: async ({ q }) => lookupAnswer(q),
});

const weatherAgent = (name = "weather-agent") => new Agent({ name, instructions: PROMPTS.weatherSystem, tools: [weather] });

function runnerFor({ server, apiKey }: ScenarioEnv, api: Api): Runner {
  const client = new OpenAI({ apiKey, baseURL: server.baseURL, maxRetries: 0 });
  return new Runner({ modelProvider: new OpenAIProvider({ openAIClient: client, useResponses: api === "responses" }), model: MODEL });
}

type Api = "responses" | "chat_completions";

function run(agent: () => Agent<any, any>, input: string | AgentInputItem[], stream = false, api: Api = "responses"): ProviderScenario {
  return async (env) => {
    const runner = runnerFor(env, api);
    if (!stream) return (await runner.run(agent(), input)).finalOutput;
    const result = await runner.run(agent(), input, { stream: true });
    for await (const _event of result.toStream()) {
      // Consumed to the end, as a UI would.
    }
    await result.completed;
    return result.finalOutput;
  };
}

function orchestrator(): Agent<any, any> {
  const researcher = new Agent({ name: "research-agent", instructions: PROMPTS.researcherSystem, tools: [lookup] });
  return new Agent({
    name: "orchestrator",
    instructions: PROMPTS.orchestratorSystem,
    tools: [researcher.asTool({ toolName: "research", toolDescription: "Ask the research agent" })],
  });
}

function triage(): Agent<any, any> {
  return new Agent({ name: "triage", instructions: PROMPTS.triageSystem, handoffs: [weatherAgent("weather_agent")] });
}

/** The Responses API, the SDK's default. */
export const OPENAI_AGENTS_SCENARIOS: Partial<Record<ScenarioId, ProviderScenario>> = {
  "one-tool": run(weatherAgent, PROMPTS.weather),
  "two-tools": run(weatherAgent, PROMPTS.twoCities),
  "failing-tool": run(weatherAgent, PROMPTS.atlantis),
  streaming: run(weatherAgent, PROMPTS.weather, true),
  "second-turn": run(weatherAgent, [user(FIRST_TURN[0].content), assistant(FIRST_TURN[1].content), user(PROMPTS.followUp)]),
  "agent-as-tool": run(orchestrator, PROMPTS.tides),
  handoff: run(triage, PROMPTS.weather),
  "no-tool": run(weatherAgent, PROMPTS.hello),
};

/** The same agents on Chat Completions (`useResponses: false`), which the SDK also supports. */
export const OPENAI_AGENTS_CHAT_SCENARIOS: Partial<Record<ScenarioId, ProviderScenario>> = {
  "one-tool": run(weatherAgent, PROMPTS.weather, false, "chat_completions"),
  "two-tools": run(weatherAgent, PROMPTS.twoCities, false, "chat_completions"),
  streaming: run(weatherAgent, PROMPTS.weather, true, "chat_completions"),
  "agent-as-tool": run(orchestrator, PROMPTS.tides, false, "chat_completions"),
};
