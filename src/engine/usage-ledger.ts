/**
 * A run's token usage: its own model calls, by agent scope and by model,
 * and the rule that turns them and its agents' reported totals into the
 * usage its stop reports, never counting a call twice.
 */
import type { ModelCall, TokenUsage } from "../otel/model.js";
import type { UsageCost } from "../protocol/events.js";
import { addUsage, costOf, hasTokens, type Pricing } from "./run-summary.js";

export interface AgentTotals {
  /** The agent's scope (its span id). */
  scope: string;
  /** What the agent span reports, when it does. */
  usage: TokenUsage | undefined;
}

export class UsageLedger {
  readonly #byScope = new Map<string, TokenUsage>();
  readonly #byModel = new Map<string, TokenUsage>();

  record(scope: string, call: ModelCall): void {
    if (!call.usage) return;
    this.#byScope.set(scope, addUsage(this.#byScope.get(scope) ?? {}, call.usage));
    const model = call.model ?? "unknown";
    this.#byModel.set(model, addUsage(this.#byModel.get(model) ?? {}, call.usage));
  }

  /**
   * The run's own usage: the top agents' totals when they all report them
   * and no child run exists (their totals could include sub-agents), plus
   * calls made outside those agents; otherwise the sum of its own calls.
   */
  runUsage(topAgents: readonly AgentTotals[], hasChildRuns: boolean): TokenUsage | undefined {
    const usage: TokenUsage = {};
    if (!hasChildRuns && topAgents.length > 0 && topAgents.every((agent) => hasTokens(agent.usage))) {
      for (const agent of topAgents) addUsage(usage, agent.usage);
      const agentScopes = new Set(topAgents.map((agent) => agent.scope));
      for (const [scope, callUsage] of this.#byScope) if (!agentScopes.has(scope)) addUsage(usage, callUsage);
    } else {
      for (const callUsage of this.#byScope.values()) addUsage(usage, callUsage);
    }
    return hasTokens(usage) ? usage : undefined;
  }

  cost(pricing: Pricing | undefined): UsageCost | undefined {
    return costOf(this.#byModel, pricing);
  }
}
