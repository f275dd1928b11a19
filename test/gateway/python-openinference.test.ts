/**
 * What the Python OpenInference bridge for the OpenAI Agents SDK writes
 * differently: a root AGENT span for the workflow above the real agents,
 * which carry `graph.node.id`. Spans as recorded from
 * openinference-instrumentation-openai-agents 2.6.0 (see python-agents.test.ts).
 */
import { describe, expect, it } from "vitest";
import { openInferenceReader } from "../../src/otel/conventions/openinference.js";
import { spanView } from "../otel/conventions/span-fixture.js";

const PYTHON_SCOPE = "openinference.instrumentation.openai_agents";
const withScope = (scope: string, fixture: Parameters<typeof spanView>[0]) => ({ ...spanView(fixture), scope });

describe("OpenInference from the Python OpenAI Agents bridge", () => {
  it("reads the workflow's root AGENT span as no agent, and the agents under it as agents", () => {
    const workflow = withScope(PYTHON_SCOPE, { name: "Agent workflow", attributes: { "openinference.span.kind": "AGENT" } });
    const agent = withScope(PYTHON_SCOPE, {
      name: "weather-agent",
      attributes: { "openinference.span.kind": "AGENT", "agent.name": "weather-agent", "graph.node.id": "weather-agent" },
    });
    expect(openInferenceReader.classify(workflow)).toBe("none");
    expect(openInferenceReader.classify(agent)).toBe("agent");
    expect(openInferenceReader.read(agent)).toMatchObject({ kind: "agent" });
  });

  it("leaves AGENT spans of other instrumentations as they were", () => {
    const other = withScope("openinference.instrumentation.langchain", { attributes: { "openinference.span.kind": "AGENT" } });
    expect(openInferenceReader.classify(other)).toBe("agent");
  });
});
