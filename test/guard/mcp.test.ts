/**
 * `guardMcpClient` on the MCP TypeScript SDK's own `Client`, connected to a
 * real `McpServer` in memory: allowed calls reach the server, denied ones
 * resolve to a tool error result, `continue: false` throws, and a dead or
 * hung Permiso is decided by the fail mode.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { guardMcpClient, PermisoRunStoppedError } from "../../src/guard/index.js";
import { deny } from "../support/deciding-receiver.js";
import { deadPort } from "../support/recorder.js";
import { startRepoToolsServer, type RepoToolsServer } from "./support/mcp-tools-server.js";
import { denyTool, usePermiso } from "./support/permiso-for-tests.js";

const permiso = usePermiso();
const { guardFor } = permiso;
let repo: RepoToolsServer;
let client: Client;
beforeAll(async () => {
  repo = startRepoToolsServer();
  client = await repo.connectClient();
});
afterEach(() => {
  repo.calls.length = 0;
});
afterAll(() => repo.close());

const readFile = { name: "read_file", arguments: { path: "README.md" } };
const deleteRepo = { name: "delete_repo", arguments: { name: "sdk" } };

describe("MCP TypeScript SDK client", () => {
  it("an allowed call reaches the server; a denied one is a tool error with Permiso's reason", async () => {
    permiso.receiver.decide = denyTool("delete_repo", deny("Deleting repositories is not allowed."));
    const guarded = guardMcpClient(client, guardFor(), { toolCallId: (params) => params._meta?.toolCallId as string | undefined });
    expect(await guarded.callTool({ ...readFile, _meta: { toolCallId: "call_r" } })).toEqual({
      content: [{ type: "text", text: "contents of README.md" }],
    });
    expect(await guarded.callTool({ ...deleteRepo, _meta: { toolCallId: "call_d" } })).toEqual({
      isError: true,
      content: [{ type: "text", text: "Deleting repositories is not allowed." }],
    });
    expect(repo.calls).toEqual(["read_file"]);
    expect(permiso.receiver.toolUses().map((body) => [body.hookEvent, body.event.toolUseId, body.event.input])).toEqual([
      ["read_file", "call_r", { path: "README.md" }],
      ["delete_repo", "call_d", { name: "sdk" }],
    ]);
    expect(permiso.receiver.invalid).toEqual([]);
  });

  it("is still the client: same class, other methods on the original", async () => {
    const guarded = guardMcpClient(client, guardFor());
    expect(guarded).toBeInstanceOf(Client);
    expect((await guarded.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["delete_repo", "read_file"]);
    expect(guarded.getServerVersion()).toEqual(client.getServerVersion());
  });

  it("makes a fresh call id when the host gives none", async () => {
    await guardMcpClient(client, guardFor()).callTool(readFile);
    await guardMcpClient(client, guardFor()).callTool(readFile);
    const [first, second] = permiso.receiver.toolUses().map((body) => body.event.toolUseId);
    expect(first).toMatch(/^mcp_[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
  });

  it("continue: false throws PermisoRunStoppedError and the tool does not run", async () => {
    permiso.receiver.decide = denyTool("delete_repo", { permission: "deny", continue: false });
    const error = await guardMcpClient(client, guardFor()).callTool(deleteRepo).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PermisoRunStoppedError);
    expect(error).toMatchObject({ toolName: "delete_repo", decision: { stopRun: true } });
    expect(repo.calls).toEqual([]);
  });

  it("a dead Permiso blocks calls (failMode closed); failMode open lets them through", async () => {
    const baseUrl = `http://127.0.0.1:${await deadPort()}`;
    expect(await guardMcpClient(client, guardFor({ baseUrl, timeoutMs: 300 })).callTool(deleteRepo)).toEqual({
      isError: true,
      content: [{ type: "text", text: "Permiso could not be reached; the tool was blocked (failMode closed)." }],
    });
    expect(repo.calls).toEqual([]);
    await guardMcpClient(client, guardFor({ baseUrl, timeoutMs: 300, failMode: "open" })).callTool(deleteRepo);
    expect(repo.calls).toEqual(["delete_repo"]);
  });

  it("a hung Permiso blocks at timeoutMs", async () => {
    permiso.receiver.decide = () => ({ hang: true });
    expect(await guardMcpClient(client, guardFor({ timeoutMs: 250 })).callTool(readFile)).toEqual({
      isError: true,
      content: [{ type: "text", text: "Permiso did not answer within 250 ms; the tool was blocked (failMode closed)." }],
    });
    expect(repo.calls).toEqual([]);
  });
});
