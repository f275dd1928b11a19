/**
 * LangChain v1 agents (`createAgent` from `langchain`) as their users write
 * them: `ChatOpenAI` on the fake server, tools made with `tool()`, a
 * sub-agent called from a tool, `invoke` and `stream`.
 */
import { SpanKind } from "@opentelemetry/api";
import { ChatOpenAI } from "@langchain/openai";
import { createAgent, tool } from "langchain";
import { z } from "zod";
import type { TestProvider } from "../otel-sdk.js";
import { FIRST_TURN, forecastFor, lookupAnswer, MODEL, PROMPTS, type ScenarioId } from "./scenarios.js";
import type { ProviderScenario, ScenarioEnv } from "./suite.js";

const weather = tool(async ({ city }) => JSON.stringify(forecastFor(city)), {
  name: "weather",
  description: "Current weather for a city",
  schema: z.object({ city: z.string() }),
});

const lookup = tool(async ({ q }) => lookupAnswer(q), {
  name: "lookup",
  description: "Encyclopedia lookup",
  schema: z.object({ q: z.string() }),
});

type Message = { role: "user" | "assistant"; content: string };

/**
 * How an agent call is wrapped. OpenLLMetry's LangChain spans nest only
 * under an active span, so its users run each agent inside one (the
 * README's fix); OpenInference nests them itself.
 */
export type AgentCall = (provider: TestProvider, agentName: string, call: () => Promise<unknown>) => Promise<unknown>;

export const callDirectly: AgentCall = (_provider, _agentName, call) => call();

/** The agent call inside an active `invoke_agent` span naming the agent. */
export const callInAgentSpan: AgentCall = (provider, agentName, call) =>
  provider
    .getTracer("app")
    .startActiveSpan(
      `invoke_agent ${agentName}`,
      { kind: SpanKind.INTERNAL, attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": agentName } },
      (span) => call().finally(() => span.end()),
    );

/**
 * The scenarios. `streaming` uses a `ChatOpenAI` made with `streaming: true`
 * (the model streams even when the agent is invoked), which fetches
 * LangChain's tokenizer to estimate token counts.
 */
export function langChainScenarios(callAgent: AgentCall): Partial<Record<ScenarioId, ProviderScenario>> {
  const model = ({ server, apiKey }: ScenarioEnv, streaming = false) =>
    new ChatOpenAI({ model: MODEL, apiKey, configuration: { baseURL: server.baseURL }, maxRetries: 0, streaming });

  const ask = (messages: Message[], streaming = false): ProviderScenario => async (env) => {
    const agent = createAgent({ name: "weather-agent", model: model(env, streaming), tools: [weather], systemPrompt: PROMPTS.weatherSystem });
    await callAgent(env.provider, "weather-agent", () => agent.invoke({ messages }));
  };

  const orchestrated: ProviderScenario = async (env) => {
    const researcher = createAgent({ name: "research-agent", model: model(env), tools: [lookup], systemPrompt: PROMPTS.researcherSystem });
    const research = tool(
      async ({ input }) => {
        const result = await callAgent(env.provider, "research-agent", () => researcher.invoke({ messages: [{ role: "user", content: input }] }));
        return String((result as { messages: Array<{ content: unknown }> }).messages.at(-1)?.content);
      },
      { name: "research", description: "Ask the research agent", schema: z.object({ input: z.string() }) },
    );
    const orchestrator = createAgent({ name: "orchestrator", model: model(env), tools: [research], systemPrompt: PROMPTS.orchestratorSystem });
    await callAgent(env.provider, "orchestrator", () => orchestrator.invoke({ messages: [{ role: "user", content: PROMPTS.tides }] }));
  };

  return {
    "one-tool": ask([{ role: "user", content: PROMPTS.weather }]),
    "two-tools": ask([{ role: "user", content: PROMPTS.twoCities }]),
    "failing-tool": ask([{ role: "user", content: PROMPTS.atlantis }]),
    streaming: ask([{ role: "user", content: PROMPTS.weather }], true),
    "second-turn": ask([...FIRST_TURN, { role: "user", content: PROMPTS.followUp }]),
    "agent-as-tool": orchestrated,
    "no-tool": ask([{ role: "user", content: PROMPTS.hello }]),
  };
}
