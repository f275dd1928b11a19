/** The `permiso-hooks` command: its pure parts directly, then the real process. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDevServer } from "../../src/dev-server/index.js";
import {
  COMMANDS,
  DEV_USAGE_HINT,
  USAGE,
  USAGE_HINT,
  exposureWarning,
  formatBanner,
  formatEventLine,
  formatRejectLine,
  formatStoreChange,
  parseCliArgs,
} from "../../src/dev-server/cli-format.js";
import { RunStore, type ReceivedEvent } from "../../src/dev-server/run-store.js";
import { formatRunTree } from "../../src/dev-server/run-tree.js";
import { SDK_VERSION } from "../../src/version.js";

const CLI = ["--import", "tsx", "src/dev-server/cli.ts"];
const CLOCK = /^\d{2}:\d{2}:\d{2} {2}/;

function received(event: Record<string, unknown>, runId = "9f2c4e1a-77b0-4d3e-a1c2-5e6f7a8b9c0d"): ReceivedEvent {
  return {
    seq: 1,
    receivedAt: Date.now(),
    body: { hookEvent: "some_hook", runId, bourneVersion: "v2", event, clientSentAtMs: Date.now() },
  };
}

/** The line without its local-time prefix, which depends on the machine's time zone. */
function line(event: Record<string, unknown>): string {
  const text = formatEventLine(received(event));
  expect(text).toMatch(CLOCK);
  return text.replace(CLOCK, "");
}

describe("parseCliArgs", () => {
  it("reads the dev command with defaults and with every flag", () => {
    expect(parseCliArgs(["dev"])).toEqual({ kind: "dev", port: 8787, host: "127.0.0.1", denyTools: [], allowedHosts: [] });
    expect(
      parseCliArgs([
        "dev", "--port", "0", "--host", "0.0.0.0", "--log", "events.jsonl", "--deny-tool", "shell", "--deny-tool", "delete_file",
        "--policy", "policy.json", "--allow-host", "devbox.local", "--max-events", "5000",
      ]),
    ).toEqual({
      kind: "dev",
      port: 0,
      host: "0.0.0.0",
      logFile: "events.jsonl",
      denyTools: ["shell", "delete_file"],
      policyFile: "policy.json",
      allowedHosts: ["devbox.local"],
      maxEvents: 5000,
    });
    expect(parseCliArgs(["dev", "--port=9000"])).toMatchObject({ kind: "dev", port: 9000 });
  });

  it("answers --help, -h and --version before looking at the options: the commands, or a command's options", () => {
    expect(parseCliArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseCliArgs(["-h", "serve"])).toEqual({ kind: "help" });
    expect(parseCliArgs(["dev", "-h"])).toEqual({ kind: "help", command: "dev" });
    expect(parseCliArgs(["dev", "--port", "x", "--help"])).toEqual({ kind: "help", command: "dev" });
    expect(parseCliArgs(["--help", "gateway"])).toEqual({ kind: "help", command: "gateway" });
    expect(parseCliArgs(["--version"])).toEqual({ kind: "version" });
  });

  it("names a missing or unknown command with the commands' hint, and a dev option's problem with dev's", () => {
    expect(parseCliArgs([])).toEqual({ kind: "usage-error", message: "Missing command: dev or gateway", hint: USAGE_HINT });
    expect(parseCliArgs(["serve"])).toEqual({ kind: "usage-error", message: 'Unknown command "serve" (the commands are: dev, gateway)', hint: USAGE_HINT });
    expect(parseCliArgs(["--port", "1", "gateway"])).toMatchObject({ message: "Put the command first: permiso-hooks gateway [options]", hint: USAGE_HINT });
    expect(parseCliArgs(["dev", "--nope"])).toMatchObject({ kind: "usage-error", hint: DEV_USAGE_HINT });
  });

  it("lists every command, one line each, within 80 columns", () => {
    const lines = USAGE.split("\n");
    for (const [name] of COMMANDS) expect(lines.filter((line) => line.startsWith(`  ${name} `))).toHaveLength(1);
    expect(COMMANDS.map(([name]) => name)).toEqual(["dev", "gateway"]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it.each([
    [[], "Missing command"],
    [["serve"], 'Unknown command "serve"'],
    [["dev", "extra"], 'Unexpected argument "extra"'],
    [["dev", "--verbose"], "Unknown option '--verbose'"],
    [["dev", "--port"], "argument missing"],
    [["dev", "--port", "abc"], "--port must be an integer from 0 to 65535"],
    [["dev", "--port", "1.5"], "--port must be an integer from 0 to 65535"],
    [["dev", "--port", "70000"], "--port must be an integer from 0 to 65535"],
    [["dev", "--port", "-1"], '--port must be an integer from 0 to 65535 (got "-1")'],
    [["dev", "--port=-1"], '--port must be an integer from 0 to 65535 (got "-1")'],
    [["dev", "--max-events", "0"], "--max-events must be a positive integer"],
    [["dev", "--deny-tool", ""], "--deny-tool must name a tool"],
    [["dev", "--policy", ""], "--policy must name a file"],
    [["dev", "--host", ""], "--host must not be empty"],
    [["dev", "--log", ""], "--log must name a file"],
  ])("rejects %j as a usage error", (argv, message) => {
    const command = parseCliArgs(argv);
    expect(command.kind).toBe("usage-error");
    expect((command as { message: string }).message).toContain(message);
    expect((command as { message: string }).message).not.toContain("To specify a positional");
    expect((command as { message: string }).message).not.toContain("ambiguous");
  });
});

describe("formatEventLine", () => {
  it("starts with the time, the run id prefix, the hook and source/type", () => {
    expect(line({ source: "user", type: "text", text: "Hello" })).toBe("9f2c4e1a  some_hook  user/text  Hello");
  });

  it("puts multi-line text on one line and cuts long text", () => {
    expect(line({ source: "agent", type: "text", text: "first\n\n  second" })).toBe("9f2c4e1a  some_hook  agent/text  first second");
    const long = line({ source: "agent", type: "thinking", thinking: "x".repeat(500) });
    expect(long).toBe(`9f2c4e1a  some_hook  agent/thinking  ${"x".repeat(71)}…`);
  });

  it("shows tool calls and results, marking errors", () => {
    expect(line({ source: "agent", type: "tool_use", name: "search", toolUseId: "t1", input: { q: "paris" } })).toBe(
      '9f2c4e1a  some_hook  agent/tool_use  search {"q":"paris"}',
    );
    expect(line({ source: "user", type: "tool_result", name: "search", toolUseId: "t1", content: "3 hits" })).toBe(
      "9f2c4e1a  some_hook  user/tool_result  search -> 3 hits",
    );
    expect(line({ source: "user", type: "tool_result", toolUseId: "t1", content: "timeout", isError: true })).toBe(
      "9f2c4e1a  some_hook  user/tool_result  [error] -> timeout",
    );
  });

  it("shows the media type and decoded size of images and documents", () => {
    const data = Buffer.alloc(3000).toString("base64");
    expect(line({ source: "user", type: "image", image: { source: "base64", data, mediaType: "image/png" } })).toBe(
      "9f2c4e1a  some_hook  user/image  image/png, 2.9 KB",
    );
    expect(line({ source: "user", type: "document", document: { source: "base64", data: "aGk=" } })).toBe(
      "9f2c4e1a  some_hook  user/document  unknown type, 2 B",
    );
  });

  it("summarises a stop with its reason, tokens and cost", () => {
    expect(line({ source: "stop" })).toBe("9f2c4e1a  some_hook  stop  no reason");
    const usage = {
      inputTokens: 1200,
      outputTokens: 300,
      totalTokens: 1500,
      cost: { inputTokensCost: 0.0036, outputTokensCost: 0.0045, cacheReadTokensCost: 0, cacheWriteTokensCost: 0, currency: "USD" },
    };
    expect(line({ source: "stop", stopReason: "end_turn", usage })).toBe(
      "9f2c4e1a  some_hook  stop  end_turn, 1500 tokens (in 1200, out 300), 0.0081 USD",
    );
  });
});

describe("control characters from requests", () => {
  const ESC = "\u001b]0;owned\u0007\u001b[2J";

  it("are written out as escapes in event lines: hook, run id and text", () => {
    const event = received({ source: "user", type: "text", text: `hi ${ESC}` }, `9f2c4e1a${ESC}`);
    event.body.hookEvent = `hook${ESC}`;
    const printed = formatEventLine(event);
    expect(printed).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(printed).toContain("hook\\u001b]0;owned\\u0007\\u001b[2J");
    expect(printed).toContain("hi \\u001b]0;owned");
  });

  it("are written out in reject lines", () => {
    const printed = formatRejectLine([{ path: "event.text", message: "is required" }], { runId: `r${ESC}`, hookEvent: `h\u009b1m` });
    expect(printed).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(printed).toContain("h\\u009b1m");
  });

  it("are written out in the run tree, while its own colours stay", () => {
    const store = new RunStore();
    store.add({ hookEvent: "h", runId: `run${ESC}`, bourneVersion: "v2", clientSentAtMs: 1, sessionId: `s\u202e`, agent: { name: `a${ESC}` }, event: { source: "agent", type: "text", text: `t${ESC}` } });
    const tree = formatRunTree(store.runs(), { color: true });
    for (const treeLine of tree.split("\n")) expect(treeLine.replace(/\u001b\[\d+m/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(tree).toContain("\u001b[1m"); // bold run header
  });
});

describe("denied tool calls", () => {
  it("are marked in the event line with the rule and the reason", () => {
    const event = received({ source: "agent", type: "tool_use", name: "shell", toolUseId: "t1", input: { cmd: "rm -rf /" } });
    event.decision = { permission: "deny", agent_message: "Not here.", rule: "--deny-tool shell", continue: false };
    expect(formatEventLine(event)).toMatch(/agent\/tool_use {2}shell \{"cmd":"rm -rf \/"\} {2}DENIED \(--deny-tool shell, run ends\): Not here\.$/);
  });
});

describe("formatStoreChange", () => {
  it("prints a line when runs are evicted, nothing on a clear", () => {
    expect(formatStoreChange({ kind: "evicted", runIds: ["a", "b"], evictions: { runs: 5, events: 120 } })).toBe(
      "evicted 2 oldest run(s) to stay within the limit (5 runs, 120 events evicted so far)",
    );
    expect(formatStoreChange({ kind: "cleared" })).toBeUndefined();
  });
});

describe("formatRejectLine and formatBanner", () => {
  it("names the run and hook of a rejected body when it has them", () => {
    const issues = [{ path: "event.toolUseId", message: 'is required for type "tool_use"' }];
    expect(formatRejectLine(issues, { runId: "9f2c4e1a-77b0", hookEvent: "pre_tool_use" })).toBe(
      'rejected  9f2c4e1a  pre_tool_use  event.toolUseId is required for type "tool_use"',
    );
    expect(formatRejectLine([{ path: "body", message: "is not valid JSON" }], "{oops")).toBe("rejected  body is not valid JSON");
  });

  it("prints the viewer URL and the PERMISO_BASE_URL line", () => {
    const banner = formatBanner("http://127.0.0.1:8787", "1.2.3", { logFile: "events.jsonl", denyTools: ["shell"] });
    expect(banner).toContain("Viewer:  http://127.0.0.1:8787/");
    expect(banner).toMatch(/^ {4}PERMISO_BASE_URL=http:\/\/127\.0\.0\.1:8787$/m);
    expect(banner).toContain("events.jsonl");
    expect(banner).toContain("Denying calls of: shell");
  });

  it("warns that listening on every interface exposes prompts", () => {
    expect(exposureWarning("0.0.0.0")).toMatch(/^Warning: listening on 0\.0\.0\.0 makes the receiver reachable from the network: .*prompts/);
  });
});

describe("the permiso-hooks process", () => {
  const workDir = mkdtempSync(join(tmpdir(), "permiso-hooks-cli-"));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  function run(args: string[]): { child: ChildProcessWithoutNullStreams; stdout: () => string; exited: Promise<{ code: number | null; stderr: string }> } {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: process.cwd(), env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
      child.on("exit", (code) => resolve({ code, stderr })),
    );
    return { child, stdout: () => stdout, exited };
  }

  it("--help names every command, dev --help gives dev's options, gateway --help the gateway's", async () => {
    const help = async (args: string[]) => {
      const { exited, stdout } = run(args);
      const { code, stderr } = await exited;
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      return stdout();
    };
    const [top, dev, gateway, gatewayFirst] = await Promise.all([
      help(["--help"]),
      help(["dev", "--help"]),
      help(["--help", "gateway"]),
      help(["gateway", "--help"]),
    ]);
    expect(top).toBe(USAGE);
    expect(top).toMatch(/^ {2}dev {7}\S/m);
    expect(top).toMatch(/^ {2}gateway {3}\S/m);
    expect(dev).toMatch(/^Usage: permiso-hooks dev \[options\]\n[\s\S]*--deny-tool/);
    expect(gateway).toMatch(/^Usage: permiso-hooks gateway \[options\]\n[\s\S]*--grpc-port/);
    expect(gatewayFirst).toBe(gateway);
  });

  it("prints one line and a hint to stderr, and exits 2, on a bad flag", async () => {
    for (const args of [["dev", "--nope"], ["dev", "--port", "-1"]]) {
      const { exited, stdout } = run(args);
      const { code, stderr } = await exited;
      expect(code).toBe(2);
      expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^permiso-hooks: (Unknown option '--nope'|--port must be an integer)/), DEV_USAGE_HINT]);
      expect(stdout()).toBe("");
    }
  });

  it("prints one line before any banner and exits 1 when the log file cannot be opened", async () => {
    const { exited, stdout } = run(["dev", "--port", "0", "--log", join(workDir, "no-such-dir", "events.jsonl")]);
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^permiso-hooks: cannot write the log file .*no-such-dir\/events\.jsonl: ENOENT[^\n]*\n$/);
    expect(stdout()).toBe("");
  });

  it("on a busy port, suggests --port 0 and leaves no empty log file behind", async () => {
    const busy = await startDevServer({ port: 0 });
    const logFile = join(workDir, "busy.jsonl");
    try {
      const { exited, stdout } = run(["dev", "--port", String(busy.port), "--log", logFile]);
      const { code, stderr } = await exited;
      expect(code).toBe(1);
      expect(stderr).toBe(`permiso-hooks: port ${busy.port} on 127.0.0.1 is already in use; choose another with --port, or --port 0 for any free port\n`);
      expect(stdout()).toBe("");
      expect(existsSync(logFile)).toBe(false);
    } finally {
      await busy.close();
    }
  });

  it("answers --deny-tool and --policy decisions and prints them", async () => {
    const policyFile = join(workDir, "deny-rm.json");
    writeFileSync(policyFile, JSON.stringify({
      rules: [{ tool: "shell", input: { command: { matches: "rm\\s+-rf" } }, agent_message: "No rm -rf.", continue: false }],
    }));
    const cli = run(["dev", "--port", "0", "--deny-tool", "delete_file", "--policy", policyFile]);
    try {
      await expect.poll(cli.stdout, { timeout: 15_000 }).toMatch(/PERMISO_BASE_URL=\S+/);
      const url = /PERMISO_BASE_URL=(\S+)/.exec(cli.stdout())![1];
      const toolUse = (name: string, input: unknown) =>
        fetch(`${url}/hooks`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": "local" },
          body: JSON.stringify({ hookEvent: name, runId: "7c1d2e3f-aaaa-4bbb-8ccc-111122223333", bourneVersion: "v2", clientSentAtMs: Date.now(), event: { source: "agent", type: "tool_use", name, toolUseId: `t-${name}`, input } }),
        }).then((response) => response.json());
      expect(await toolUse("delete_file", { path: "/etc/hosts" })).toEqual({
        permission: "deny",
        agent_message: 'The tool "delete_file" is denied by the local receiver (--deny-tool delete_file).',
      });
      expect(await toolUse("shell", { command: "rm -rf /tmp/x" })).toEqual({ permission: "deny", agent_message: "No rm -rf.", continue: false });
      expect(await toolUse("shell", { command: "ls" })).toEqual({});
      await expect.poll(cli.stdout).toMatch(/delete_file .* DENIED \(--deny-tool delete_file\)/);
      await expect.poll(cli.stdout).toMatch(/DENIED \(policy rule 1, run ends\): No rm -rf\.$/m);
    } finally {
      cli.child.kill("SIGTERM");
    }
    expect((await cli.exited).code).toBe(0);
  });

  it("names the field when the policy file is wrong", async () => {
    const policyFile = join(workDir, "policy.json");
    writeFileSync(policyFile, JSON.stringify({ rules: [{ tool: "shell" }] }));
    const { exited, stdout } = run(["dev", "--port", "0", "--policy", policyFile]);
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toContain(`permiso-hooks: ${policyFile}: policy.rules[0].agent_message must be a non-empty string`);
    expect(stdout()).toBe("");
  });

  it("prints the version", async () => {
    const { exited, stdout } = run(["--version"]);
    expect((await exited).code).toBe(0);
    expect(stdout()).toBe(`${SDK_VERSION}\n`);
  });

  it("receives hooks on a free port, prints and logs them, and stops cleanly on SIGTERM", async () => {
    const logFile = join(workDir, "events.jsonl");
    const cli = run(["dev", "--port", "0", "--log", logFile]);
    try {
      await expect.poll(cli.stdout, { timeout: 15_000 }).toMatch(/PERMISO_BASE_URL=\S+/);
      const url = /PERMISO_BASE_URL=(\S+)/.exec(cli.stdout())![1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toMatch(/:0$/);
      expect(cli.stdout()).toContain(`Viewer:  ${url}/`);

      const body = {
        hookEvent: "user_prompt",
        runId: "5d9e3b7a-1c2f-4e8d-9a0b-3c4d5e6f7a8b",
        bourneVersion: "v2",
        event: { source: "user", type: "text", text: "Plan a weekend in Lisbon" },
        clientSentAtMs: Date.now(),
      };
      const send = (payload: unknown, headers: Record<string, string> = { "x-api-key": "local" }) =>
        fetch(`${url}/hooks`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(payload) });

      expect((await send(body)).status).toBe(200);
      expect((await send({ ...body, event: { source: "agent", type: "tool_use", name: "maps" } })).status).toBe(400);
      expect((await send(body, {})).status).toBe(401);

      await expect.poll(cli.stdout).toMatch(/^\d{2}:\d{2}:\d{2} {2}5d9e3b7a {2}user_prompt {2}user\/text {2}Plan a weekend in Lisbon$/m);
      await expect.poll(cli.stdout).toMatch(/^rejected {2}5d9e3b7a {2}user_prompt {2}event\.toolUseId is required for type "tool_use"$/m);
    } finally {
      cli.child.kill("SIGTERM");
    }
    const { code, stderr } = await cli.exited;
    expect(stderr).toBe("");
    expect(code).toBe(0);

    const lines = readFileSync(logFile, "utf8").trim().split("\n").map((text) => JSON.parse(text));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      hookEvent: "user_prompt",
      runId: "5d9e3b7a-1c2f-4e8d-9a0b-3c4d5e6f7a8b",
      event: { source: "user", type: "text", text: "Plan a weekend in Lisbon" },
    });
    expect(typeof lines[0].receivedAt).toBe("number");
  });
});
