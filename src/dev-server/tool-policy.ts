/**
 * The local receiver's decisions on tool calls, so a guard can be tried
 * without an account: a `tool_use` hook event matched by a rule is answered
 * `{ permission: "deny", agent_message }` (and `user_message`, `continue:
 * false` when the rule says so), as Permiso answers it; anything else `{}`.
 *
 * A policy file is JSON:
 *
 * ```json
 * {
 *   "rules": [
 *     { "tool": "delete_file", "agent_message": "Deleting files is not allowed here." },
 *     {
 *       "tool": "shell",
 *       "input": { "command": { "matches": "\\brm\\s+-rf\\b" } },
 *       "agent_message": "Destructive shell commands are blocked.",
 *       "user_message": "Blocked: rm -rf",
 *       "continue": false
 *     }
 *   ]
 * }
 * ```
 *
 * The first rule that matches decides. `tool` is a tool name, or `"*"` for
 * any. `input` maps a path into the tool's input (`"url"`, `"headers.host"`,
 * `"files.0"`; `"$"` is the whole input as JSON text) to a condition, and
 * every condition must hold: `{ "equals": <JSON> }`, `{ "contains": "text" }`
 * (a substring of a string value) or `{ "matches": "regex" }` (on a string
 * value). A path that is missing from the input matches no condition.
 */
import { readFile } from "node:fs/promises";
import { describeValue } from "../protocol/validate.js";

export interface InputCondition {
  equals?: unknown;
  contains?: string;
  matches?: string;
}

export interface ToolPolicyRule {
  /** The tool's name, or "*" for any tool. */
  tool: string;
  /** Conditions on the tool's input, by path; all must hold. */
  input?: Record<string, InputCondition>;
  /** The reason given to the model. */
  agent_message: string;
  /** A note for the person; never shown to the model. */
  user_message?: string;
  /** `false` ends the run. */
  continue?: false;
}

export interface ToolPolicy {
  rules: ToolPolicyRule[];
}

/** What the receiver answered to a tool call, and which rule made it. */
export interface ToolDecision {
  permission: "deny";
  agent_message: string;
  user_message?: string;
  continue?: false;
  /** Which rule decided: `--deny-tool shell` or `policy rule 2`. */
  rule: string;
}

export class ToolPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolPolicyError";
  }
}

const RULE_KEYS = new Set(["tool", "input", "agent_message", "user_message", "continue"]);
const CONDITION_KEYS = ["equals", "contains", "matches"] as const;

/**
 * Checks a parsed policy and returns it typed; throws a ToolPolicyError
 * naming the first field that is wrong and what was expected.
 */
export function parseToolPolicy(value: unknown, where = "policy"): ToolPolicy {
  const fail = (path: string, message: string): never => {
    throw new ToolPolicyError(`${where}${path} ${message}`);
  };
  if (!isRecord(value)) return fail("", `must be a JSON object with "rules" (got ${describeValue(value)})`);
  for (const key of Object.keys(value)) if (key !== "rules") fail(`.${key}`, `is not a known field (expected only "rules")`);
  if (!Array.isArray(value.rules)) return fail(".rules", `must be an array of rules (got ${describeValue(value.rules)})`);
  const rules = value.rules.map((rule: unknown, index: number): ToolPolicyRule => {
    const path = `.rules[${index}]`;
    if (!isRecord(rule)) return fail(path, `must be an object (got ${describeValue(rule)})`);
    for (const key of Object.keys(rule)) {
      if (!RULE_KEYS.has(key)) fail(`${path}.${key}`, `is not a known field (expected ${[...RULE_KEYS].join(", ")})`);
    }
    if (typeof rule.tool !== "string" || rule.tool === "") {
      fail(`${path}.tool`, `must be a tool name, or "*" for any tool (got ${describeValue(rule.tool)})`);
    }
    if (typeof rule.agent_message !== "string" || rule.agent_message.trim() === "") {
      fail(`${path}.agent_message`, `must be a non-empty string: the reason given to the model (got ${describeValue(rule.agent_message)})`);
    }
    if (rule.user_message !== undefined && typeof rule.user_message !== "string") {
      fail(`${path}.user_message`, `must be a string (got ${describeValue(rule.user_message)})`);
    }
    if (rule.continue !== undefined && rule.continue !== false) {
      fail(`${path}.continue`, `may only be false, which ends the run (got ${describeValue(rule.continue)})`);
    }
    if (rule.input !== undefined) parseConditions(rule.input, `${path}.input`, fail);
    return rule as unknown as ToolPolicyRule;
  });
  return { rules };
}

function parseConditions(input: unknown, path: string, fail: (path: string, message: string) => never): void {
  if (!isRecord(input)) fail(path, `must be an object mapping input paths to conditions (got ${describeValue(input)})`);
  for (const [inputPath, condition] of Object.entries(input as Record<string, unknown>)) {
    const at = `${path}[${JSON.stringify(inputPath)}]`;
    if (inputPath === "") fail(at, `is not a path: name a field of the input, or "$" for the whole input`);
    if (!isRecord(condition)) fail(at, `must be a condition: { "equals" | "contains" | "matches": … } (got ${describeValue(condition)})`);
    const keys = Object.keys(condition as object);
    if (keys.length !== 1 || !(CONDITION_KEYS as readonly string[]).includes(keys[0])) {
      fail(at, `must have exactly one of "equals", "contains", "matches" (got ${keys.length ? keys.map((k) => `"${k}"`).join(", ") : "none"})`);
    }
    const { contains, matches } = condition as InputCondition;
    if (keys[0] === "contains" && typeof contains !== "string") fail(`${at}.contains`, `must be a string (got ${describeValue(contains)})`);
    if (keys[0] === "matches") {
      if (typeof matches !== "string") fail(`${at}.matches`, `must be a regular expression as a string (got ${describeValue(matches)})`);
      try {
        new RegExp(matches as string, "u");
      } catch (error) {
        fail(`${at}.matches`, `is not a valid regular expression: ${(error as Error).message}`);
      }
    }
  }
}

/** Reads and checks a policy file; errors name the file and the field. */
export async function loadToolPolicy(file: string): Promise<ToolPolicy> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ToolPolicyError(`cannot read the policy file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ToolPolicyError(`the policy file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseToolPolicy(parsed, `${file}: policy`);
}

type CompiledRule = { rule: ToolPolicyRule; label: string; test: (input: unknown) => boolean };

/** Decides tool calls by `--deny-tool` names first, then the policy's rules in order. */
export class ToolDecider {
  readonly #rules: CompiledRule[];

  constructor(denyTools: readonly string[] = [], policy?: ToolPolicy) {
    const denied: CompiledRule[] = denyTools.map((tool) => ({
      rule: { tool, agent_message: `The tool "${tool}" is denied by the local receiver (--deny-tool ${tool}).` },
      label: `--deny-tool ${tool}`,
      test: () => true,
    }));
    const fromPolicy = (policy?.rules ?? []).map((rule, index) => ({
      rule,
      label: `policy rule ${index + 1}`,
      test: compileConditions(rule.input ?? {}),
    }));
    this.#rules = [...denied, ...fromPolicy];
  }

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** The decision for an accepted event: only a matching `tool_use` is denied. */
  decide(event: Record<string, unknown>): ToolDecision | undefined {
    if (event.type !== "tool_use" || typeof event.name !== "string") return undefined;
    for (const { rule, label, test } of this.#rules) {
      if ((rule.tool === "*" || rule.tool === event.name) && test(event.input)) {
        const decision: ToolDecision = { permission: "deny", agent_message: rule.agent_message, rule: label };
        if (rule.user_message !== undefined) decision.user_message = rule.user_message;
        if (rule.continue === false) decision.continue = false;
        return decision;
      }
    }
    return undefined;
  }
}

/** The answer Permiso would send: the decision without our own bookkeeping. */
export function decisionResponse(decision: ToolDecision | undefined): Record<string, unknown> {
  if (!decision) return {};
  const { rule: _rule, ...response } = decision;
  return response;
}

function compileConditions(conditions: Record<string, InputCondition>): (input: unknown) => boolean {
  const checks = Object.entries(conditions).map(([path, condition]) => {
    const read = (input: unknown) => (path === "$" ? JSON.stringify(input ?? null) : valueAt(input, path));
    if (condition.matches !== undefined) {
      const pattern = new RegExp(condition.matches, "u");
      return (input: unknown) => {
        const value = read(input);
        return typeof value === "string" && pattern.test(value);
      };
    }
    if (condition.contains !== undefined) {
      const needle = condition.contains;
      return (input: unknown) => {
        const value = read(input);
        return typeof value === "string" && value.includes(needle);
      };
    }
    const expected = JSON.stringify(condition.equals);
    return (input: unknown) => {
      const value = read(input);
      return value !== undefined && JSON.stringify(value) === expected;
    };
  });
  return (input) => checks.every((check) => check(input));
}

/** `a.b.0` into parsed JSON; undefined when any step is missing. */
function valueAt(input: unknown, path: string): unknown {
  let value = input;
  for (const step of path.split(".")) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
