/** Picks node:http where it exists, fetch elsewhere, on the first send. */
import { FetchTransport } from "./fetch-transport.js";
import { loadHttpModule, NodeHttpTransport } from "./node-http-transport.js";
import type { HookTransport, HttpTarget, SendOptions, SendResult } from "./types.js";

export class HttpTransport implements HookTransport {
  readonly #target: HttpTarget;
  #inner: Promise<HookTransport> | undefined;
  #resolved: HookTransport | undefined;

  constructor(target: HttpTarget) {
    this.#target = target;
  }

  send(payload: string, options: SendOptions): Promise<SendResult> {
    if (this.#resolved) return this.#resolved.send(payload, options);
    return this.#load().then((inner) => inner.send(payload, options));
  }

  close(): void {
    this.#resolved?.close();
  }

  #load(): Promise<HookTransport> {
    this.#inner ??= loadHttpModule(this.#target.url.protocol).then((http) => {
      this.#resolved = http ? new NodeHttpTransport(this.#target, http) : new FetchTransport(this.#target);
      return this.#resolved;
    });
    return this.#inner;
  }
}
