/** The policy file format: what it accepts, how rules match, and errors that name the field. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadToolPolicy, parseToolPolicy, ToolPolicyError } from "../../src/dev-server/index.js";
import { ToolDecider } from "../../src/dev-server/tool-policy.js";

const toolUse = (name: string, input?: unknown) => ({ source: "agent", type: "tool_use", name, toolUseId: "t1", ...(input === undefined ? {} : { input }) });

describe("parseToolPolicy", () => {
  it.each([
    [null, 'policy must be a JSON object with "rules" (got null)'],
    [{ rules: {} }, "policy.rules must be an array of rules (got an object)"],
    [{ rules: [], deny: [] }, 'policy.deny is not a known field (expected only "rules")'],
    [{ rules: ["shell"] }, 'policy.rules[0] must be an object (got string "shell")'],
    [{ rules: [{ agent_message: "x" }] }, 'policy.rules[0].tool must be a tool name, or "*" for any tool (got undefined)'],
    [{ rules: [{ tool: "shell" }] }, "policy.rules[0].agent_message must be a non-empty string: the reason given to the model (got undefined)"],
    [{ rules: [{ tool: "shell", agent_message: "x", continue: true }] }, "policy.rules[0].continue may only be false, which ends the run (got boolean true)"],
    [{ rules: [{ tool: "shell", agent_message: "x", user_message: 3 }] }, "policy.rules[0].user_message must be a string (got number 3)"],
    [{ rules: [{ tool: "shell", agent_message: "x", reason: "y" }] }, "policy.rules[0].reason is not a known field (expected tool, input, agent_message, user_message, continue)"],
    [{ rules: [{ tool: "shell", agent_message: "x", input: [] }] }, "policy.rules[0].input must be an object mapping input paths to conditions (got an array)"],
    [{ rules: [{ tool: "s", agent_message: "x", input: { cmd: "rm" } }] }, 'policy.rules[0].input["cmd"] must be a condition: { "equals" | "contains" | "matches": … } (got string "rm")'],
    [{ rules: [{ tool: "s", agent_message: "x", input: { cmd: { like: "rm" } } }] }, 'policy.rules[0].input["cmd"] must have exactly one of "equals", "contains", "matches" (got "like")'],
    [{ rules: [{ tool: "s", agent_message: "x", input: { cmd: { matches: "(" } } }] }, 'policy.rules[0].input["cmd"].matches is not a valid regular expression'],
    [{ rules: [{ tool: "s", agent_message: "x", input: { cmd: { contains: 1 } } }] }, 'policy.rules[0].input["cmd"].contains must be a string (got number 1)'],
  ])("refuses %j: %s", (policy, message) => {
    expect(() => parseToolPolicy(policy)).toThrow(ToolPolicyError);
    expect(() => parseToolPolicy(policy)).toThrow(message);
  });

  it("reads a file, naming the file in its errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "permiso-policy-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ rules: [{ tool: "shell", agent_message: "No shell." }] }));
    expect(await loadToolPolicy(good)).toEqual({ rules: [{ tool: "shell", agent_message: "No shell." }] });
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ rules: [");
    await expect(loadToolPolicy(broken)).rejects.toThrow(`the policy file ${broken} is not valid JSON`);
    await expect(loadToolPolicy(join(dir, "missing.json"))).rejects.toThrow(/cannot read the policy file .*missing\.json: ENOENT/);
  });
});

describe("ToolDecider", () => {
  const decider = new ToolDecider(
    ["delete_file"],
    parseToolPolicy({
      rules: [
        { tool: "http", input: { method: { equals: "DELETE" }, "headers.host": { contains: "prod" } }, agent_message: "No deletes on prod." },
        { tool: "files", input: { "paths.0": { matches: "^/etc/" } }, agent_message: "Not /etc." },
        { tool: "*", input: { $: { matches: "[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]" } }, agent_message: "No keys.", user_message: "A key was about to leak.", continue: false },
      ],
    }),
  );
  const rule = (name: string, input?: unknown) => decider.decide(toolUse(name, input))?.rule;

  it("checks --deny-tool names first, then rules in order; the first match decides", () => {
    expect(rule("delete_file", { apiKey: "x" })).toBe("--deny-tool delete_file");
    expect(rule("http", { method: "DELETE", headers: { host: "api.prod.example" } })).toBe("policy rule 1");
    expect(rule("files", { paths: ["/etc/passwd"] })).toBe("policy rule 2");
    expect(rule("anything", { config: { api_key: "x" } })).toBe("policy rule 3");
  });

  it("needs every condition, and a path that is missing matches nothing", () => {
    expect(rule("http", { method: "DELETE", headers: { host: "staging" } })).toBeUndefined();
    expect(rule("http", { method: "GET", headers: { host: "prod" } })).toBeUndefined();
    expect(rule("http", { method: "DELETE" })).toBeUndefined();
    expect(rule("files", { paths: [] })).toBeUndefined();
    expect(rule("files")).toBeUndefined();
    expect(rule("files", { paths: { toString: "/etc/x" } })).toBeUndefined();
  });

  it("answers what Permiso answers, and decides only tool_use events", () => {
    expect(decider.decide(toolUse("x", { key: "API-KEY" }))).toEqual({
      permission: "deny",
      agent_message: "No keys.",
      user_message: "A key was about to leak.",
      continue: false,
      rule: "policy rule 3",
    });
    expect(decider.decide({ source: "agent", type: "tool_result", name: "delete_file", toolUseId: "t1" })).toBeUndefined();
    expect(decider.decide({ source: "agent", type: "text", text: "delete_file api_key" })).toBeUndefined();
  });
});

describe("conditions", () => {
  const matching = (condition: Record<string, unknown>, path = "value") =>
    new ToolDecider([], parseToolPolicy({ rules: [{ tool: "t", input: { [path]: condition }, agent_message: "no" }] }));
  const decides = (decider: ToolDecider, input: unknown) => decider.decide(toolUse("t", input)) !== undefined;

  it("equals takes any JSON; contains and matches only strings, matches case-sensitive; $ is the whole input as JSON text", () => {
    expect(decides(matching({ equals: { a: [1, 2] } }), { value: { a: [1, 2] } })).toBe(true);
    expect(decides(matching({ equals: { a: [1, 2] } }), { value: { a: [2, 1] } })).toBe(false);
    expect(decides(matching({ equals: 3 }), { value: 3 })).toBe(true);
    expect(decides(matching({ contains: "rm" }), { value: "sudo rm -rf" })).toBe(true);
    expect(decides(matching({ contains: "1" }), { value: 123 })).toBe(false);
    expect(decides(matching({ matches: "^rm\\b" }), { value: "rm -rf" })).toBe(true);
    expect(decides(matching({ matches: "^rm\\b" }), { value: "RM -rf" })).toBe(false);
    expect(decides(matching({ matches: "1" }), { value: 1 })).toBe(false);
    expect(decides(matching({ contains: '"key":"BEGIN' }, "$"), { nested: { key: "BEGIN PRIVATE KEY" } })).toBe(true);
    expect(decides(matching({ equals: "x" }, "files.0"), { files: ["x", "y"] })).toBe(true);
  });

  it('tool names one tool, or "*" any tool', () => {
    const decider = new ToolDecider([], parseToolPolicy({ rules: [{ tool: "shell", agent_message: "no" }] }));
    expect(decider.decide(toolUse("shell"))).toMatchObject({ permission: "deny", agent_message: "no" });
    expect(decider.decide(toolUse("shellx"))).toBeUndefined();
    const any = new ToolDecider([], parseToolPolicy({ rules: [{ tool: "*", agent_message: "no" }] }));
    expect(any.decide(toolUse("whatever"))).toMatchObject({ permission: "deny" });
  });
});
