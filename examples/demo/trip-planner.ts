/**
 * The demo's agent: a trip planner with two tools, one of which asks a
 * research sub-agent. Ordinary AI SDK code; nothing in it knows about Permiso.
 */
import { generateText, isStepCount, tool } from "ai";
import { z } from "zod";
import { scriptedModel } from "../support/scripted-model.js";

const plannerModel = scriptedModel([
  {
    reasoning: "I need the forecast and a few highlights before planning.",
    text: "Let me check the weather and ask my researcher for highlights.",
    toolCalls: [
      { id: "call_weather", name: "weather", input: { city: "Lisbon" } },
      { id: "call_research", name: "research", input: { topic: "Lisbon highlights for one day" } },
    ],
    inputTokens: 310,
    outputTokens: 64,
  },
  {
    text: "Tomorrow in Lisbon will be sunny, 24°C. Morning: Belém Tower and pastéis de nata. Afternoon: Alfama by tram 28. Sunset: Miradouro da Senhora do Monte.",
    inputTokens: 520,
    outputTokens: 58,
  },
]);

const researcherModel = scriptedModel([
  { toolCalls: [{ id: "call_search", name: "search", input: { query: "best of Lisbon in a day" } }], inputTokens: 120, outputTokens: 18 },
  { text: "Belém Tower, a pastel de nata in Belém, tram 28 through Alfama, sunset at Senhora do Monte.", inputTokens: 260, outputTokens: 31 },
]);

async function researchAgent(topic: string): Promise<string> {
  const { text } = await generateText({
    model: researcherModel,
    system: "You research travel topics and answer in one sentence.",
    prompt: `Research: ${topic}`,
    tools: {
      search: tool({
        description: "Search travel guides",
        inputSchema: z.object({ query: z.string() }),
        execute: async ({ query }) => [
          { title: "Lisbon in a day", snippet: `${query}: Belém, Alfama, tram 28, miradouros` },
        ],
      }),
    },
    stopWhen: isStepCount(4),
    telemetry: { functionId: "research-agent" },
  });
  return text;
}

export async function planTrip(request: string): Promise<string> {
  const { text } = await generateText({
    model: plannerModel,
    system: "You plan short city trips. Use the tools, then answer briefly.",
    prompt: request,
    tools: {
      weather: tool({
        description: "Tomorrow's forecast for a city",
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, forecast: "sunny", highC: 24 }),
      }),
      research: tool({
        description: "Ask the research agent",
        inputSchema: z.object({ topic: z.string() }),
        execute: async ({ topic }) => researchAgent(topic),
      }),
    },
    stopWhen: isStepCount(4),
    telemetry: { functionId: "trip-planner" },
  });
  return text;
}
