/**
 * A smoke run of the built package on one Node version, with no test runner
 * (vitest needs Node 20; the package claims 18.19): the client, the
 * processor and the exporter each report to the receiver, and the tool
 * guard asks it, all loaded from the entries the caller passes in (ESM or
 * CJS).
 */
const assert = require("node:assert/strict");

/** One hand-instrumented GenAI turn: an agent, a model call, a tool, a model call. */
function agentTurn(tracer, api) {
  const json = (value) => JSON.stringify(value);
  const question = { role: "user", parts: [{ type: "text", content: "How much is 100 EUR in USD?" }] };
  const call = { type: "tool_call", id: "call_fx", name: "fx_rate", arguments: { from: "EUR", to: "USD" } };
  const agent = tracer.startSpan("invoke_agent fx-agent", {
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "fx-agent" },
  });
  const inAgent = api.trace.setSpan(api.context.active(), agent);
  const child = (name, attributes) => tracer.startSpan(name, { attributes }, inAgent).end();
  child("chat my-model", {
    "gen_ai.operation.name": "chat",
    "gen_ai.request.model": "my-model",
    "gen_ai.input.messages": json([question]),
    "gen_ai.output.messages": json([{ role: "assistant", parts: [call], finish_reason: "tool_call" }]),
    "gen_ai.usage.input_tokens": 25,
    "gen_ai.usage.output_tokens": 9,
  });
  child("execute_tool fx_rate", {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": "fx_rate",
    "gen_ai.tool.call.id": "call_fx",
    "gen_ai.tool.call.result": json({ rate: 1.08 }),
  });
  child("chat my-model", {
    "gen_ai.operation.name": "chat",
    "gen_ai.request.model": "my-model",
    "gen_ai.input.messages": json([question, { role: "assistant", parts: [call] }]),
    "gen_ai.output.messages": json([{ role: "assistant", parts: [{ type: "text", content: "108 USD." }], finish_reason: "stop" }]),
    "gen_ai.usage.input_tokens": 48,
    "gen_ai.usage.output_tokens": 8,
  });
  agent.end();
}

const EXPECTED_TURN = ["user_prompt", "fx_rate", "fx_rate", "assistant_message", "stop"];

async function smoke({ root, otel, guard, devServer, sdk, api, label }) {
  const receiver = await devServer.startDevServer({ port: 0, denyTools: ["delete_all"] });
  try {
    const options = { apiKey: "smoke-key", baseUrl: receiver.url };
    const hookEvents = () => receiver.store.events().map((event) => event.body.hookEvent);

    const client = new root.PermisoCustomHooksClient({ ...options, raiseOnError: true, validate: true });
    await client.sendEvent("user_prompt", { source: "user", type: "text", text: `hello from ${label}` });
    await client.endRun();
    await client.close();
    assert.deepEqual(hookEvents(), ["user_prompt", "stop"]);

    for (const attachment of ["processor", "exporter"]) {
      const before = receiver.store.events().length;
      const processor =
        attachment === "processor"
          ? new otel.PermisoSpanProcessor(options)
          : new sdk.SimpleSpanProcessor(new otel.PermisoSpanExporter(options));
      const provider = new sdk.BasicTracerProvider({ spanProcessors: [processor] });
      agentTurn(provider.getTracer("smoke"), api);
      await provider.forceFlush();
      await provider.shutdown();
      assert.deepEqual(hookEvents().slice(before), EXPECTED_TURN, `${attachment} events`);
    }
    assert.equal(receiver.rejected.length, 0);
    assert.equal(new Set(receiver.store.events().map((event) => event.body.runId)).size, 3);

    const toolGuard = new guard.PermisoToolGuard(options);
    const allowed = await toolGuard.check({ toolName: "fx_rate", toolCallId: "call_1", input: { from: "EUR" } });
    const denied = await toolGuard.check({ toolName: "delete_all", toolCallId: "call_2" });
    await toolGuard.close();
    assert.deepEqual([allowed.outcome, denied.outcome], ["allowed", "denied"]);
  } finally {
    await receiver.close();
  }
  console.log(`smoke ok: ${label} on node ${process.version}`);
}

module.exports = { smoke };
