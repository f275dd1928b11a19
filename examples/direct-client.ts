/**
 * The direct client: report an agent turn by hand, and act on the answer.
 * Reads PERMISO_API_KEY and PERMISO_BASE_URL from the environment.
 */
import { PermisoCustomHooksClient, PermisoCustomHooksError } from "@permiso-io/custom-hooks-sdk";

const hooks = new PermisoCustomHooksClient({
  agent: { name: "support-bot", id: "support-bot-v3" },
  systemPrompt: "You answer billing questions.",
  sessionId: "conversation-8812",
  user: { id: "customer-42", email: "ada@example.com" },
  validate: true, // refuse malformed events before they are sent
});

await hooks.sendEvent("user_prompt", { source: "user", type: "text", text: "Why was I charged twice?" });

// Ask before running a tool: the server may deny it.
const decision = await hooks.sendEvent("lookup_invoices", {
  source: "agent",
  type: "tool_use",
  name: "lookup_invoices",
  toolUseId: "toolu_01",
  input: { customerId: "customer-42", last: 2 },
  model: "gpt-4.1",
});
if (decision.permission === "deny") {
  console.log("Tool call denied:", decision.agent_message ?? "no reason given");
} else {
  await hooks.sendEvent("lookup_invoices", {
    source: "agent",
    type: "tool_result",
    toolUseId: "toolu_01",
    name: "lookup_invoices",
    content: JSON.stringify([{ id: "inv_1", amount: 20 }, { id: "inv_2", amount: 20 }]),
  });
}

// Fire-and-forget for what you do not need to wait on; flush() before exit.
hooks.sendEventBackground("assistant_message", {
  source: "agent",
  type: "text",
  text: "You were charged for two months. Nothing is duplicated.",
  model: "gpt-4.1",
});
await hooks.flush();

const runId = hooks.getRunId();
await hooks.endRun("end_turn");
console.log(`run ${runId} ended; next run ${hooks.getRunId()}`);

// With raiseOnError, failures surface as PermisoCustomHooksError.
const strict = new PermisoCustomHooksClient({ raiseOnError: true, validate: true });
try {
  await strict.sendEvent("bad", { source: "agent", type: "tool_use", name: "x" });
} catch (error) {
  if (error instanceof PermisoCustomHooksError) console.log(`refused: ${error.message}`);
}
await hooks.close();
