/**
 * A real loopback receiver that records every raw request and answers from a
 * script (default: 200 `{}`), for tests that need to see headers, invalid
 * bodies or injected faults.
 */
import type { IncomingHttpHeaders } from "node:http";
import { startDevServer, type DevServer, type Interception } from "../../src/dev-server/index.js";

export interface RecordedRequest {
  attempt: number;
  at: number;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  /** Answers for the next requests, in order; afterwards `fallback` applies. */
  script: Interception[];
  fallback: Interception | undefined;
  server: DevServer;
  close(): Promise<void>;
}

/** `strict: true` passes unscripted requests to the validating receiver instead of answering 200. */
export async function startRecorder(options: { strict?: boolean } = {}): Promise<Recorder> {
  const recorder = {
    requests: [] as RecordedRequest[],
    script: [] as Interception[],
    fallback: options.strict ? undefined : ({ status: 200, body: "{}" } as Interception | undefined),
  } as Recorder;
  const server = await startDevServer({
    port: 0,
    intercept: ({ attempt, headers, body }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      recorder.requests.push({ attempt, at: Date.now(), headers, raw: body, body: parsed });
      return recorder.script.shift() ?? recorder.fallback;
    },
  });
  recorder.server = server;
  recorder.url = server.url;
  recorder.close = () => server.close();
  return recorder;
}

/** A port with nothing listening on it. */
export async function deadPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
