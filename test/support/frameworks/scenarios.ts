/**
 * The scenarios every framework is run through, each as the model's scripted
 * replies (served by the fake OpenAI server) and the runs the bridge must
 * send for it, following DESIGN.md §3–4 and its worked example.
 *
 * A framework runs a scenario its own way (its agent, its tools, its
 * streaming API); the model answers the same, so the runs should be the
 * same. Where an instrumentation does not carry something, the framework's
 * test says so with a `Gap`, and the expectation leaves it out: nothing is
 * invented.
 */
import type { ScriptedReply } from "../fake-openai.js";

export type ScenarioId =
  | "one-tool"
  | "two-tools"
  | "failing-tool"
  | "streaming"
  | "second-turn"
  | "agent-as-tool"
  | "handoff"
  | "no-tool";

export const MODEL = "gpt-4o-mini";

/** What the scenarios' tools answer, and how the weather tool fails. */
export const FORECASTS: Record<string, string> = { Paris: "sunny", Oslo: "snow" };
export const forecastFor = (city: string) => {
  const forecast = FORECASTS[city];
  if (!forecast) throw new Error(`no forecast for ${city}`);
  return { city, forecast };
};
export const lookupAnswer = (q: string) => `${q}: caused by the moon's gravity`;

/** The texts the agents are given; each framework builds its agents from these. */
export const PROMPTS = {
  weatherSystem: "You are a weather bot.",
  weather: "What is the weather in Paris?",
  twoCities: "What is the weather in Paris and Oslo?",
  atlantis: "What is the weather in Atlantis?",
  followUp: "And in Oslo?",
  hello: "Say hello.",
  orchestratorSystem: "You coordinate research.",
  researcherSystem: "You research topics.",
  tides: "Why are there tides?",
  triageSystem: "You route requests.",
} as const;

/** The first turn, as the history of `second-turn`. */
export const FIRST_TURN = [
  { role: "user" as const, content: PROMPTS.weather },
  { role: "assistant" as const, content: "It is sunny in Paris." },
];

const weatherCall = (id: string, city: string) => ({ id, name: "weather", arguments: { city } });

/** The model's replies, in the order the framework asks for them (sub-agents included). */
export const SCRIPTS: Record<ScenarioId, ScriptedReply[]> = {
  "one-tool": [
    { text: "Let me check.", toolCalls: [weatherCall("call_1", "Paris")], usage: { input: 10, output: 5 } },
    { text: "It is sunny in Paris.", usage: { input: 20, output: 7 } },
  ],
  "two-tools": [
    { toolCalls: [weatherCall("call_paris", "Paris"), weatherCall("call_oslo", "Oslo")], usage: { input: 12, output: 8 } },
    { text: "Sunny in Paris, snow in Oslo.", usage: { input: 30, output: 9 } },
  ],
  "failing-tool": [
    { toolCalls: [weatherCall("call_atlantis", "Atlantis")], usage: { input: 10, output: 5 } },
    { text: "I could not get the weather for Atlantis.", usage: { input: 25, output: 9 } },
  ],
  streaming: [
    { text: "Let me check.", toolCalls: [weatherCall("call_1", "Paris")], usage: { input: 10, output: 5 } },
    { text: "It is sunny in Paris.", usage: { input: 20, output: 7 } },
  ],
  "second-turn": [{ text: "It is snowing in Oslo.", usage: { input: 40, output: 6 } }],
  "agent-as-tool": [
    { toolCalls: [{ id: "call_research", name: "research", arguments: { input: "tides" } }], usage: { input: 12, output: 6 } },
    { toolCalls: [{ id: "call_lookup", name: "lookup", arguments: { q: "tides" } }], usage: { input: 8, output: 4 } },
    { text: "The moon pulls the oceans.", usage: { input: 15, output: 6 } },
    { text: "Tides follow the moon.", usage: { input: 30, output: 9 } },
  ],
  handoff: [
    { toolCalls: [{ id: "call_handoff", name: "transfer_to_weather_agent", arguments: {} }], usage: { input: 12, output: 6 } },
    { toolCalls: [weatherCall("call_1", "Paris")], usage: { input: 20, output: 5 } },
    { text: "It is sunny in Paris.", usage: { input: 30, output: 7 } },
  ],
  "no-tool": [{ text: "Hello!", usage: { input: 5, output: 2 } }],
};

// ---- Expected events -----------------------------------------------------------

/** One event as the tests compare it: ids and timestamps aside. */
export interface ExpectedEvent {
  hookEvent: string;
  event: Record<string, unknown>;
  /** The agent whose name the event carries. */
  agent: string;
}

export interface ExpectedRun {
  /** The agent owning the run (a child run's agent), for finding it among runs. */
  agent: string;
  /** Its events carry no system prompt (the instrumentation records none). */
  noSystemPrompt?: boolean;
  /** The agent whose run is this run's parent; absent for the trace's run. */
  parent?: string;
  events: ExpectedEvent[];
}

/** What an instrumentation does not carry, so the bridge cannot send it. */
export interface Gaps {
  /** No token usage (e.g. OpenInference and OpenLLMetry when streaming). */
  usage?: boolean;
  /** No model name on the spans the events come from. */
  model?: boolean;
  /**
   * The model's tool calls are not on its span: each is known from its
   * tool's span, which names no model, and goes just before its result.
   */
  toolCallsFromToolSpans?: boolean;
  /** No finish reason. */
  stopReason?: boolean;
  /** Nothing says a tool failed (its error only reaches the model as text). */
  toolError?: boolean;
  /** No system prompt (instructions the instrumentation does not record). */
  systemPrompt?: boolean;
  /** The model's tool calls are known only from the next call's input, which names no model. */
  toolUseModel?: boolean;
  /** The text the model wrote beside its tool calls is dropped before the span records the reply. */
  textBesideToolCalls?: boolean;
}

/** What an instrumentation carries beyond the scenario itself, and the bridge passes on. */
export interface Carried {
  /** Model settings on the model's events (e.g. the temperature a Responses API reply reports). */
  settings?: { temperature?: number; maxTokens?: number; topP?: number; topK?: number };
  /** Usage details on the stop (e.g. `cacheReadTokens: 0`). */
  usage?: { cacheReadTokens?: number; cacheWriteTokens?: number };
  /** The content a failed tool's result carries, where the framework words it its own way. */
  failedToolContent?: string;
  /** The model's name as the framework names it (e.g. Genkit's `openai/gpt-4o-mini`). */
  model?: string;
}

export class EventBuilder {
  constructor(
    private readonly gaps: Gaps,
    private readonly carried: Carried,
    private readonly agent: string,
  ) {}

  as(agent: string): EventBuilder {
    return new EventBuilder(this.gaps, this.carried, agent);
  }

  prompt(text: string): ExpectedEvent {
    return { hookEvent: "user_prompt", event: { source: "user", type: "text", text }, agent: this.agent };
  }

  text(text: string): ExpectedEvent {
    return { hookEvent: "assistant_message", event: { source: "agent", type: "text", text, ...this.#model() }, agent: this.agent };
  }

  toolUse(name: string, toolUseId: string, input: unknown): ExpectedEvent {
    const model = this.gaps.toolCallsFromToolSpans || this.gaps.toolUseModel ? {} : this.#model();
    return { hookEvent: name, event: { source: "agent", type: "tool_use", name, toolUseId, input, ...model }, agent: this.agent };
  }

  toolResult(name: string, toolUseId: string, content: string, isError = false): ExpectedEvent {
    const flagged = isError && !this.gaps.toolError;
    const event = { source: "agent", type: "tool_result", toolUseId, name, content, ...(flagged ? { isError: true } : {}) };
    return { hookEvent: name, event, agent: this.agent };
  }

  /** `stopReason` undefined: a run that ended in failure, whose stop carries none. */
  stop(stopReason: string | undefined, input: number, output: number): ExpectedEvent {
    const event: Record<string, unknown> = { source: "stop" };
    if (!this.gaps.stopReason && stopReason !== undefined) event.stopReason = stopReason;
    if (!this.gaps.usage) event.usage = { inputTokens: input, outputTokens: output, totalTokens: input + output, ...this.carried.usage };
    return { hookEvent: "stop", event, agent: this.agent };
  }

  #model(): Record<string, unknown> {
    return this.gaps.model ? {} : { model: this.carried.model ?? MODEL, ...this.carried.settings };
  }
}

const weatherJson = (city: string) => JSON.stringify(forecastFor(city));

/** The runs a scenario must produce. */
export function expectedRuns(id: ScenarioId, gaps: Gaps = {}, carried: Carried = {}): ExpectedRun[] {
  const runs = scenarioRuns(id, gaps, carried);
  return gaps.systemPrompt ? runs.map((run) => ({ ...run, noSystemPrompt: true })) : runs;
}

function scenarioRuns(id: ScenarioId, gaps: Gaps, carried: Carried): ExpectedRun[] {
  const weather = new EventBuilder(gaps, carried, "weather-agent");
  switch (id) {
    case "one-tool":
    case "streaming":
      return [
        {
          agent: "weather-agent",
          events: [
            weather.prompt(PROMPTS.weather),
            ...(gaps.textBesideToolCalls ? [] : [weather.text("Let me check.")]),
            weather.toolUse("weather", "call_1", { city: "Paris" }),
            weather.toolResult("weather", "call_1", weatherJson("Paris")),
            weather.text("It is sunny in Paris."),
            weather.stop("end_turn", 30, 12),
          ],
        },
      ];
    case "two-tools": {
      const uses = [weather.toolUse("weather", "call_paris", { city: "Paris" }), weather.toolUse("weather", "call_oslo", { city: "Oslo" })];
      const results = [weather.toolResult("weather", "call_paris", weatherJson("Paris")), weather.toolResult("weather", "call_oslo", weatherJson("Oslo"))];
      const tools = gaps.toolCallsFromToolSpans ? [uses[0], results[0], uses[1], results[1]] : [...uses, ...results];
      return [
        {
          agent: "weather-agent",
          events: [weather.prompt(PROMPTS.twoCities), ...tools, weather.text("Sunny in Paris, snow in Oslo."), weather.stop("end_turn", 42, 17)],
        },
      ];
    }
    case "failing-tool":
      return [
        {
          agent: "weather-agent",
          events: [
            weather.prompt(PROMPTS.atlantis),
            weather.toolUse("weather", "call_atlantis", { city: "Atlantis" }),
            weather.toolResult("weather", "call_atlantis", carried.failedToolContent ?? "no forecast for Atlantis", true),
            weather.text("I could not get the weather for Atlantis."),
            weather.stop("end_turn", 35, 14),
          ],
        },
      ];
    case "second-turn":
      return [
        {
          agent: "weather-agent",
          events: [weather.prompt(PROMPTS.followUp), weather.text("It is snowing in Oslo."), weather.stop("end_turn", 40, 6)],
        },
      ];
    case "no-tool":
      return [
        { agent: "weather-agent", events: [weather.prompt(PROMPTS.hello), weather.text("Hello!"), weather.stop("end_turn", 5, 2)] },
      ];
    case "agent-as-tool": {
      const orchestrator = weather.as("orchestrator");
      const researcher = weather.as("research-agent");
      return [
        {
          agent: "orchestrator",
          events: [
            orchestrator.prompt(PROMPTS.tides),
            orchestrator.toolUse("research", "call_research", { input: "tides" }),
            orchestrator.toolResult("research", "call_research", "The moon pulls the oceans."),
            orchestrator.text("Tides follow the moon."),
            // Its own calls only (12+30 in, 6+9 out): the sub-agent reports its own usage.
            orchestrator.stop("end_turn", 42, 15),
          ],
        },
        {
          agent: "research-agent",
          parent: "orchestrator",
          events: [
            researcher.prompt("tides"),
            researcher.toolUse("lookup", "call_lookup", { q: "tides" }),
            researcher.toolResult("lookup", "call_lookup", lookupAnswer("tides")),
            researcher.text("The moon pulls the oceans."),
            researcher.stop("end_turn", 23, 10),
          ],
        },
      ];
    }
    case "handoff": {
      const triage = weather.as("triage");
      const specialist = weather.as("weather_agent");
      return [
        {
          agent: "triage",
          events: [
            triage.prompt(PROMPTS.weather),
            // The model's own call of the handoff tool, answered by the framework: no invented pair.
            triage.toolUse("transfer_to_weather_agent", "call_handoff", {}),
            specialist.toolResult("transfer_to_weather_agent", "call_handoff", '{"assistant":"weather_agent"}'),
            specialist.toolUse("weather", "call_1", { city: "Paris" }),
            specialist.toolResult("weather", "call_1", weatherJson("Paris")),
            specialist.text("It is sunny in Paris."),
            specialist.stop("end_turn", 62, 18),
          ],
        },
      ];
    }
  }
}
