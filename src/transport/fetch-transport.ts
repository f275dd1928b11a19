/** POSTs with the global fetch, for runtimes that have no node:http. */
import { classifyError, classifyResponse } from "./retry-policy.js";
import {
  MAX_RESPONSE_BYTES,
  RequestAbortedError,
  RequestTimeoutError,
  type HookTransport,
  type HttpTarget,
  type SendOptions,
  type SendResult,
} from "./types.js";

export class FetchTransport implements HookTransport {
  readonly #target: HttpTarget;

  constructor(target: HttpTarget) {
    this.#target = target;
  }

  async send(payload: string, options: SendOptions): Promise<SendResult> {
    const controller = new AbortController();
    let reason: Error | undefined;
    const abort = (error: Error) => {
      reason = error;
      controller.abort(error);
    };
    const timer = setTimeout(() => abort(new RequestTimeoutError(options.timeoutMs)), options.timeoutMs);
    const onAbort = () => abort(new RequestAbortedError(options.signal?.reason));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await fetch(this.#target.url, {
        method: "POST",
        headers: this.#target.headers,
        body: payload,
        signal: controller.signal,
      });
      const text = await response.text();
      return classifyResponse({
        statusCode: response.status,
        statusText: response.statusText,
        body: text.length > MAX_RESPONSE_BYTES ? text.slice(0, MAX_RESPONSE_BYTES) : text,
        retryAfter: response.headers.get("retry-after") ?? undefined,
      });
    } catch (error) {
      if (reason instanceof RequestAbortedError) return { status: "failure", error: reason };
      return classifyError(reason ?? error);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  close(): void {}
}
