/**
 * Records the AI SDK 7 runs of test/support/ai-scenarios.ts, through both
 * `@ai-sdk/otel` integrations (GenAI `OpenTelemetry` and `LegacyOpenTelemetry`),
 * as JSON fixtures in test/fixtures/ai-sdk/: every span as the engine takes it
 * (a SpanRecord), the attributes it had when it started, and the order of
 * every start and end. The reader and engine tests replay them, so they test
 * real spans without running the AI SDK.
 *
 * Re-record after upgrading `ai` or `@ai-sdk/otel`:
 *   npm run fixtures:ai-sdk
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  agentInHttpSpan,
  orchestratorWithSubAgent,
  reasoningImageAndToolError,
  secondTurn,
  streamingAgent,
  weatherAgent,
  type AiConvention,
} from "../test/support/ai-scenarios.js";
import { createProvider, SDK_MAJOR, type TestProvider } from "../test/support/otel-sdk.js";
import { FIXTURE_DIR, RecordingProcessor, type RecordedRun, type ScenarioName } from "../test/support/recorded-runs.js";

const SCENARIOS: Record<ScenarioName, (convention: AiConvention, provider: TestProvider) => Promise<unknown>> = {
  weatherAgent,
  orchestratorWithSubAgent,
  agentInHttpSpan,
  secondTurn,
  reasoningImageAndToolError,
  streamingAgent,
};

function versionOf(name: string): string {
  return JSON.parse(readFileSync(join("node_modules", name, "package.json"), "utf8")).version;
}

async function record(): Promise<void> {
  // 2.x spans say whether a parent is remote; the fixtures keep that.
  if (SDK_MAJOR !== 2) throw new Error("record with sdk-trace-base 2.x: unset OTEL_SDK_MAJOR");
  const recordedWith = { ai: versionOf("ai"), "@ai-sdk/otel": versionOf("@ai-sdk/otel"), "@opentelemetry/sdk-trace-base": versionOf("@opentelemetry/sdk-trace-base") };
  mkdirSync(FIXTURE_DIR, { recursive: true });
  for (const convention of ["genai", "legacy"] as const) {
    for (const [scenario, run] of Object.entries(SCENARIOS)) {
      const recorder = new RecordingProcessor();
      const provider = createProvider([recorder]);
      await run(convention, provider);
      await provider.shutdown();
      const fixture: RecordedRun = { scenario: scenario as ScenarioName, convention, recordedWith, order: recorder.order, spans: recorder.spans };
      const file = join(FIXTURE_DIR, `${convention}-${scenario}.json`);
      writeFileSync(file, `${JSON.stringify(fixture, null, 1)}\n`);
      console.log(`${file}: ${Object.keys(recorder.spans).length} spans`);
    }
  }
}

await record();
