/**
 * A real MCP server (the MCP TypeScript SDK's `McpServer`) with two tools,
 * reachable in memory by an SDK `Client` or over Streamable HTTP on
 * 127.0.0.1. `calls` lists the tools that actually ran.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export interface RepoToolsServer {
  /** Tool names in the order they ran. */
  calls: string[];
  /** A connected SDK client over an in-memory transport. */
  connectClient(): Promise<Client>;
  /** Serves Streamable HTTP (stateless) on 127.0.0.1; resolves to the endpoint URL. */
  serveHttp(): Promise<string>;
  close(): Promise<void>;
}

function repoServer(calls: string[]): McpServer {
  const server = new McpServer({ name: "repo-tools", version: "1.0.0" });
  server.registerTool(
    "read_file",
    { description: "Read a file of the repository", inputSchema: { path: z.string() } },
    async ({ path }) => {
      calls.push("read_file");
      return { content: [{ type: "text", text: `contents of ${path}` }] };
    },
  );
  server.registerTool(
    "delete_repo",
    { description: "Delete the repository", inputSchema: { name: z.string() } },
    async ({ name }) => {
      calls.push("delete_repo");
      return { content: [{ type: "text", text: `${name} deleted` }] };
    },
  );
  return server;
}

export function startRepoToolsServer(): RepoToolsServer {
  const calls: string[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  return {
    calls,
    async connectClient() {
      const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
      const server = repoServer(calls);
      await server.connect(serverTransport);
      const client = new Client({ name: "guard-test", version: "1.0.0" });
      await client.connect(clientTransport);
      closers.push(() => client.close(), () => server.close());
      return client;
    },
    async serveHttp() {
      const http: Server = createServer(async (request, response) => {
        // Stateless: one server and transport per request, as the SDK's examples do.
        const server = repoServer(calls);
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        response.on("close", () => void transport.close().then(() => server.close()));
        await server.connect(transport);
        await transport.handleRequest(request, response);
      });
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      closers.push(() => new Promise((resolve) => (http.closeAllConnections(), http.close(resolve))));
      return `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
    },
    close: () => Promise.all(closers.map((close) => close())).then(() => undefined),
  };
}
