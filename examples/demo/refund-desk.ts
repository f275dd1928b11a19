/**
 * The demo's guarded agent: a support agent with two tools, where Permiso
 * decides before each one runs. Ordinary AI SDK code plus one option,
 * `toolApproval`; the model answers from what its tools returned, or from
 * the reason Permiso gave for not running one.
 */
import type { PermisoToolGuard } from "@permiso-io/custom-hooks-sdk/guard";
import { permisoToolApproval } from "@permiso-io/custom-hooks-sdk/guard";
import { generateText, isStepCount, tool } from "ai";
import { z } from "zod";
import { scriptedModel, type ScriptedPrompt } from "../support/scripted-model.js";

/** What each tool call came back with: its output, or why it did not run. */
function toolOutcomes(prompt: ScriptedPrompt): Map<string, { denied?: string; output?: unknown }> {
  const outcomes = new Map<string, { denied?: string; output?: unknown }>();
  for (const message of prompt) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool-result") continue;
      const { output } = part;
      if (output.type === "execution-denied") outcomes.set(part.toolName, { denied: output.reason ?? "no reason given" });
      else if (output.type === "json" || output.type === "text") outcomes.set(part.toolName, { output: output.value });
    }
  }
  return outcomes;
}

const supportModel = scriptedModel([
  {
    text: "Let me look up the order and refund it.",
    toolCalls: [
      { id: "call_lookup", name: "lookup_order", input: { orderId: "A-1042" } },
      { id: "call_refund", name: "issue_refund", input: { orderId: "A-1042", amount: 180, currency: "EUR" } },
    ],
    inputTokens: 280,
    outputTokens: 52,
  },
  (prompt) => {
    const refund = toolOutcomes(prompt).get("issue_refund");
    const text = refund?.denied
      ? `Your order A-1042 (hiking boots, 180 EUR) is confirmed as damaged, but I could not refund it myself: ${refund.denied}`
      : "Your order A-1042 (hiking boots, 180 EUR) is confirmed as damaged, and I have refunded 180 EUR to your card.";
    return { text, inputTokens: 460, outputTokens: 40 };
  },
]);

export async function handleRefundRequest(request: string, guard: PermisoToolGuard): Promise<string> {
  const { text } = await generateText({
    model: supportModel,
    system: "You help customers with orders. Use the tools, then answer briefly.",
    prompt: request,
    tools: {
      lookup_order: tool({
        description: "Look up an order",
        inputSchema: z.object({ orderId: z.string() }),
        execute: async ({ orderId }) => ({ orderId, item: "hiking boots", total: 180, currency: "EUR", status: "delivered damaged" }),
      }),
      issue_refund: tool({
        description: "Refund an order to the customer's card",
        inputSchema: z.object({ orderId: z.string(), amount: z.number(), currency: z.string() }),
        execute: async ({ amount, currency }) => ({ refunded: amount, currency }),
      }),
    },
    // Permiso decides before each tool runs.
    toolApproval: permisoToolApproval(guard),
    stopWhen: isStepCount(4),
    telemetry: { functionId: "support-agent" },
  });
  return text;
}
