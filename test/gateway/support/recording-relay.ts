/**
 * A loopback relay in front of a gateway's OTLP/HTTP port: it passes every
 * request and answer through unchanged (headers, bytes, status) and keeps
 * what went by, so a test can see what a real client such as the
 * Collector's `otlphttp` exporter put on the wire, what the gateway
 * answered, and when.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

export interface RelayedExport {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as the client sent it (still compressed, if it was). */
  body: Buffer;
  status: number;
  retryAfter: string | undefined;
  /**
   * `performance.now()` when the request arrived, and when the gateway's
   * answer reached the relay, just before it is passed on: the client can
   * only have it later.
   */
  receivedAt: number;
  answeredAt: number;
}

export interface RecordingRelay {
  url: string;
  /** Exchanges whose answer has gone back to the client, in that order. */
  exports: RelayedExport[];
  close(): Promise<void>;
}

export async function startRecordingRelay(targetUrl: string): Promise<RecordingRelay> {
  const target = new URL(targetUrl);
  const exports: RelayedExport[] = [];
  const server = createServer((incoming, outgoing) => {
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        const answeredAt = performance.now();
        outgoing.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(outgoing);
        outgoing.once("finish", () =>
          exports.push({
            path: incoming.url ?? "",
            headers: incoming.headers,
            body: Buffer.concat(chunks),
            status: answer.statusCode!,
            retryAfter: answer.headers["retry-after"],
            receivedAt,
            answeredAt,
          }),
        );
      },
    );
    forwarded.once("error", () => outgoing.destroy());
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
