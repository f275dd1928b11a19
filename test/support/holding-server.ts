/**
 * A loopback server that holds every request until told to answer, and
 * counts the connections it was opened on: what a socket limit is checked
 * against.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface HoldingServer {
  url: string;
  /** Requests received and not yet answered, then answered, in arrival order. */
  held: ServerResponse[];
  /** Every connection ever opened to it. */
  sockets: Set<unknown>;
  /** Answers `{}` to every request until `total` have arrived and all are answered. */
  answerAll(total: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHoldingServer(): Promise<HoldingServer> {
  const held: ServerResponse[] = [];
  const sockets = new Set<unknown>();
  const server = createServer((request, response) => {
    request.resume();
    held.push(response);
  });
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    sockets,
    async answerAll(total) {
      while (held.length < total || held.some((response) => !response.writableEnded)) {
        for (const response of held) if (!response.writableEnded) response.writeHead(200).end("{}");
        await new Promise((done) => setTimeout(done, 10));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
