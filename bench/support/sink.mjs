/**
 * A minimal receiver in its own process: `POST /hooks` (our events) and
 * `POST /v1/traces` (OTLP/HTTP JSON) are read in full and answered 200 `{}`
 * at once. It runs in a child process so that the CPU it spends is never
 * charged to the pipeline under test, whose process CPU we measure.
 *
 * It counts what it received (hook requests; OTLP requests and the spans in
 * them) so each benchmark can check nothing was lost before trusting a
 * number. The parent talks to it over IPC: `startSink()` below.
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import { askChild } from "./harness.mjs";

function serve() {
  const counts = { hooks: 0, hookBytes: 0, traceRequests: 0, spans: 0, traceBytes: 0, other: 0 };
  const countSpans = (raw) => {
    try {
      let n = 0;
      for (const rs of JSON.parse(raw).resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0;
      return n;
    } catch {
      return 0;
    }
  };
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url.split("?")[0];
      const raw = Buffer.concat(chunks);
      if (request.method === "POST" && path === "/hooks") {
        counts.hooks++;
        counts.hookBytes += raw.length;
      } else if (request.method === "POST" && path === "/v1/traces") {
        counts.traceRequests++;
        counts.traceBytes += raw.length;
        counts.spans += countSpans(raw.toString("utf8"));
      } else {
        counts.other++;
      }
      response.writeHead(200, { "Content-Type": "application/json", "Content-Length": 2 });
      response.end("{}");
    });
  });
  // Longer than any pause between rounds, so no side meets a socket the server just closed.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
  process.on("message", (message) => {
    if (message === "counts") process.send({ counts: { ...counts } });
    if (message === "reset") {
      for (const key of Object.keys(counts)) counts[key] = 0;
      process.send({ reset: true });
    }
    if (message === "close") server.close(() => process.exit(0));
  });
  process.on("disconnect", () => process.exit(0));
}

/**
 * Starts the receiver process. `url` is the base URL (`/hooks` and
 * `/v1/traces` below it); `counts()` and `reset()` read and zero its counters.
 */
export async function startSink() {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ask = askChild(child);
  const { port } = await ask(undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    counts: async () => (await ask("counts")).counts,
    reset: () => ask("reset"),
    close: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.send("close");
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && process.argv.includes("--serve")) serve();
