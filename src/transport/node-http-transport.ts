/**
 * POSTs over node:http/https with a dedicated keep-alive agent. The modules
 * are loaded on first use, so HTTP instrumentation can patch them first and
 * runtimes without them can fall back to fetch.
 */
import type * as NodeHttp from "node:http";
import { classifyError, classifyResponse, isRetryableStatus } from "./retry-policy.js";
import {
  MAX_RESPONSE_BYTES,
  RequestAbortedError,
  RequestTimeoutError,
  type HookTransport,
  type HttpTarget,
  type SendOptions,
  type SendResult,
} from "./types.js";

type HttpModule = typeof NodeHttp;

/**
 * Resolves node:http or node:https, or `undefined` where they do not exist.
 * The module object itself (not the ESM namespace) is used, as `require`
 * would return it, so HTTP instrumentation that patches it applies to us too;
 * our requests then run with tracing suppressed rather than unobserved.
 */
export async function loadHttpModule(protocol: string): Promise<HttpModule | undefined> {
  try {
    const namespace = (protocol === "https:" ? await import("node:https") : await import("node:http")) as unknown as {
      default?: HttpModule;
    } & HttpModule;
    return namespace.default ?? namespace;
  } catch {
    return undefined;
  }
}

export class NodeHttpTransport implements HookTransport {
  readonly #http: HttpModule;
  readonly #agent: NodeHttp.Agent;
  /** Everything about a request but its length, worked out once. */
  readonly #request: NodeHttp.RequestOptions & { headers: Record<string, string | number> };

  constructor(target: HttpTarget, http: HttpModule) {
    this.#http = http;
    this.#agent = new http.Agent({
      keepAlive: true,
      maxSockets: target.maxSockets,
      // LIFO reuses the warmest socket and lets idle ones time out.
      scheduling: "lifo",
    });
    const { url } = target;
    this.#request = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      agent: this.#agent,
      headers: { ...target.headers },
    };
  }

  send(payload: string, options: SendOptions): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        resolve(result);
      };
      const base = this.#request;
      const request = this.#http.request(
        { ...base, headers: { ...base.headers, "Content-Length": Buffer.byteLength(payload) } },
        (response) => {
          const statusCode = response.statusCode ?? 0;
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            if (body.length < MAX_RESPONSE_BYTES) body += chunk;
          });
          response.on("end", () =>
            finish(
              classifyResponse({
                statusCode,
                statusText: response.statusMessage ?? "",
                body,
                // Node builds the headers object on first access; only a retry needs one.
                retryAfter: isRetryableStatus(statusCode) ? headerValue(response.headers["retry-after"]) : undefined,
              }),
            ),
          );
          response.on("error", (error) => finish(classifyError(error)));
        },
      );
      const timer = setTimeout(
        () => request.destroy(new RequestTimeoutError(options.timeoutMs)),
        options.timeoutMs,
      );
      const onAbort = () => request.destroy(new RequestAbortedError(options.signal?.reason));
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener("abort", onAbort, { once: true });
      request.on("error", (error) => {
        if (error instanceof RequestAbortedError) return finish({ status: "failure", error });
        // A pooled socket the server already closed: safe to retry at once.
        const staleSocket =
          request.reusedSocket && (error as NodeJS.ErrnoException).code === "ECONNRESET";
        const result = classifyError(error);
        finish(staleSocket && result.status === "retryable" ? { ...result, retryAfterMs: 0 } : result);
      });
      request.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
