/**
 * `GET /api/live`: the store's changes as server-sent events, so a viewer
 * receives each new event once instead of re-reading every run.
 *
 * - `event: hook` with `id: <seq>` and the received event as JSON;
 * - `event: reset` when the viewer's copy is stale (cleared or evicted since
 *   it was read): it should read `/api/events` again;
 * - `event: evicted` with the runIds that were evicted and the totals.
 *
 * A viewer connects with `?after=<lastSeq>&generation=<generation>` from its
 * `/api/events` read. On reconnecting, the browser's `Last-Event-ID` says
 * where it stopped, and what it missed is sent first.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RunStore } from "./run-store.js";

const HEARTBEAT_MS = 15_000;

export class LiveStream {
  readonly #clients = new Set<ServerResponse>();
  readonly #store: RunStore;
  readonly #unsubscribe: Array<() => void>;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(store: RunStore) {
    this.#store = store;
    this.#unsubscribe = [
      store.subscribe((event, json) => this.#broadcast(`id: ${event.seq}\nevent: hook\ndata: ${json}\n\n`)),
      store.watchChanges((change) => {
        if (change.kind === "cleared") this.#broadcast(`event: reset\ndata: {"reason":"cleared"}\n\n`);
        else this.#broadcast(`event: evicted\ndata: ${JSON.stringify({ runIds: change.runIds, evicted: change.evictions, generation: store.generation })}\n\n`);
      }),
    ];
    // Comments keep proxies from closing an idle stream.
    this.#heartbeat = setInterval(() => this.#broadcast(": heartbeat\n\n"), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  open(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
    response.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
    });
    response.write(": connected\n\n");
    const lastEventId = Number(request.headers["last-event-id"]);
    const after = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : Number(query.get("after") ?? Number.NaN);
    const generation = query.get("generation");
    const store = this.#store;
    if (Number.isInteger(after) && after >= 0) {
      if (generation !== null && Number(generation) !== store.generation) {
        // Runs were cleared or evicted since the viewer read them.
        response.write(`event: reset\ndata: {"reason":"stale"}\n\n`);
      } else {
        const missed = store.serializedAfter(after);
        if (missed.length > 0) response.write(missed.map(({ seq, json }) => `id: ${seq}\nevent: hook\ndata: ${json}\n\n`).join(""));
      }
    }
    this.#clients.add(response);
    request.on("close", () => this.#clients.delete(response));
  }

  close(): void {
    for (const stop of this.#unsubscribe) stop();
    clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #broadcast(message: string): void {
    for (const client of this.#clients) client.write(message);
  }
}
