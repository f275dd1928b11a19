/**
 * What a run's stop reports: the mapped stop reason, the run's own token
 * usage, and its cost when prices are configured.
 */
import type { StopReason, Usage, UsageCost } from "../protocol/events.js";
import type { TokenUsage } from "../otel/model.js";

/** Every spelling producers use, mapped to the endpoint's stop reasons. */
const STOP_REASON_SPELLINGS: Record<string, StopReason> = {
  stop: "end_turn",
  end_turn: "end_turn",
  end: "end_turn",
  completed: "end_turn",
  length: "max_tokens",
  max_tokens: "max_tokens",
  max_output_tokens: "max_tokens",
  tool_calls: "tool_use",
  tool_call: "tool_use",
  "tool-calls": "tool_use",
  tool_use: "tool_use",
  function_call: "tool_use",
  content_filter: "content_filter",
  "content-filter": "content_filter",
  stop_sequence: "stop_sequence",
};

/** `error`, `other` and unknown values map to nothing: the stop then has no reason. */
export function mapStopReason(reason: string | undefined): StopReason | undefined {
  return reason === undefined ? undefined : STOP_REASON_SPELLINGS[reason.toLowerCase()];
}

const USAGE_FIELDS = ["inputTokens", "outputTokens", "totalTokens", "cacheReadTokens", "cacheWriteTokens"] as const;

export function addUsage(total: TokenUsage, usage: TokenUsage | undefined): TokenUsage {
  if (!usage) return total;
  for (const field of USAGE_FIELDS) {
    const value = usage[field];
    // A negative or non-finite count is a producer bug: ignored, not subtracted.
    if (value !== undefined && Number.isFinite(value) && value >= 0) total[field] = (total[field] ?? 0) + value;
  }
  return total;
}

export function hasTokens(usage: TokenUsage | undefined): usage is TokenUsage {
  return usage !== undefined && (usage.inputTokens !== undefined || usage.outputTokens !== undefined);
}

const count = (value: number | undefined): number =>
  value === undefined || !Number.isFinite(value) ? 0 : Math.max(0, Math.round(value));

/** The endpoint's usage object: required counts filled, counts made whole and non-negative. */
export function toWireUsage(usage: TokenUsage, cost?: UsageCost): Usage {
  const inputTokens = count(usage.inputTokens);
  const outputTokens = count(usage.outputTokens);
  const wire: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: usage.totalTokens !== undefined ? count(usage.totalTokens) : inputTokens + outputTokens,
  };
  if (usage.cacheReadTokens !== undefined) wire.cacheReadTokens = count(usage.cacheReadTokens);
  if (usage.cacheWriteTokens !== undefined) wire.cacheWriteTokens = count(usage.cacheWriteTokens);
  if (cost) wire.cost = cost;
  return wire;
}

/** Prices per one million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Defaults to the input price. */
  cacheRead?: number;
  /** Defaults to the input price. */
  cacheWrite?: number;
  /** @defaultValue "USD" */
  currency?: string;
}

/** Prices by model name, or a function that finds them. */
export type Pricing = Record<string, ModelPrice> | ((model: string) => ModelPrice | undefined);

function priceOf(pricing: Pricing, model: string): ModelPrice | undefined {
  return typeof pricing === "function" ? pricing(model) : Object.hasOwn(pricing, model) ? pricing[model] : undefined;
}

const PER_TOKEN = 1 / 1_000_000;
const roundCost = (value: number): number => Math.round(value * 1e9) / 1e9;

/**
 * The cost of token usage broken down by model. `undefined` when any model
 * has no price or the currencies differ: a partial cost would mislead.
 * Input tokens include cached ones, so cached tokens are priced apart.
 */
export function costOf(usageByModel: Map<string, TokenUsage>, pricing: Pricing | undefined): UsageCost | undefined {
  if (!pricing || usageByModel.size === 0) return undefined;
  const cost: UsageCost = { inputTokensCost: 0, outputTokensCost: 0, cacheReadTokensCost: 0, cacheWriteTokensCost: 0, currency: "" };
  for (const [model, usage] of usageByModel) {
    let price: ModelPrice | undefined;
    try {
      price = priceOf(pricing, model);
    } catch {
      return undefined;
    }
    if (!price || !Number.isFinite(price.input) || !Number.isFinite(price.output)) return undefined;
    const currency = price.currency ?? "USD";
    if (cost.currency && cost.currency !== currency) return undefined;
    cost.currency = currency;
    const cacheRead = count(usage.cacheReadTokens);
    const cacheWrite = count(usage.cacheWriteTokens);
    const uncachedInput = Math.max(0, count(usage.inputTokens) - cacheRead - cacheWrite);
    cost.inputTokensCost += uncachedInput * price.input * PER_TOKEN;
    cost.outputTokensCost += count(usage.outputTokens) * price.output * PER_TOKEN;
    cost.cacheReadTokensCost += cacheRead * (price.cacheRead ?? price.input) * PER_TOKEN;
    cost.cacheWriteTokensCost += cacheWrite * (price.cacheWrite ?? price.input) * PER_TOKEN;
  }
  cost.inputTokensCost = roundCost(cost.inputTokensCost);
  cost.outputTokensCost = roundCost(cost.outputTokensCost);
  cost.cacheReadTokensCost = roundCost(cost.cacheReadTokensCost);
  cost.cacheWriteTokensCost = roundCost(cost.cacheWriteTokensCost);
  return cost;
}
