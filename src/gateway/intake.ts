/**
 * The decisions both receivers share, in the order they are made: who may
 * send (bearer token), which Permiso key the spans go out with, whether there
 * is room, then decoding and handing the spans to that key's engine.
 * Receivers turn the outcome into their protocol's answer.
 */
import { timingSafeEqual } from "node:crypto";
import { MalformedRequest, type Encoding, type ExportAnswer, type OtlpCodec } from "./otlp/codec.js";
import type { DecodedSpans } from "./otlp/spans.js";
import type { EnginePool } from "./engine-pool.js";
import type { SpanEngine } from "./engine.js";
import type { GatewayMetrics } from "./metrics.js";

export type Refusal =
  | { kind: "unauthenticated"; message: string }
  | { kind: "throttled"; message: string }
  | { kind: "unavailable"; message: string };

export type IntakeOutcome =
  | { kind: "accepted"; partial?: ExportAnswer }
  | { kind: "malformed"; message: string }
  | Refusal;

const QUEUE_FULL: Refusal = { kind: "throttled", message: "the delivery queue is full; retry later" };

export interface Credentials {
  /** The `Authorization` header or metadata value. */
  authorization: string | undefined;
  /** `x-permiso-api-key`, when the sender names its own Permiso key. */
  apiKey: string | undefined;
}

export class Intake {
  readonly #token: Buffer | undefined;
  readonly #codec: OtlpCodec;
  readonly #engines: EnginePool;
  readonly #metrics: GatewayMetrics;
  /** The spans of the last request each engine took: what the next one is likely to bring. */
  readonly #lastTaken = new WeakMap<SpanEngine, number>();
  #draining = false;

  constructor(token: string | undefined, codec: OtlpCodec, engines: EnginePool, metrics: GatewayMetrics) {
    this.#token = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);
    this.#codec = codec;
    this.#engines = engines;
    this.#metrics = metrics;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** From now on every request is refused as unavailable (the gateway is shutting down). */
  drain(): void {
    this.#draining = true;
  }

  /** Everything that can be decided before reading the body. */
  admit(credentials: Credentials): { engine: SpanEngine } | Refusal {
    if (this.#draining) return { kind: "unavailable", message: "the gateway is shutting down" };
    if (this.#token && !sameSecret(this.#token, credentials.authorization)) {
      return { kind: "unauthenticated", message: "missing or wrong bearer token" };
    }
    const engine = this.#engines.engineFor(credentials.apiKey);
    if (engine === "no-key") {
      return {
        kind: "unauthenticated",
        message: "no Permiso API key: set PERMISO_API_KEY on the gateway or send x-permiso-api-key",
      };
    }
    if (engine === "too-many-keys") {
      return { kind: "throttled", message: "too many distinct x-permiso-api-key values in use" };
    }
    // With less room left than the last request took, the next one would most likely be decoded only to be
    // refused: refused before its body is decoded, it costs the gateway next to nothing while the queue drains.
    if (engine.room <= 0 || (engine.queueDepth > 0 && engine.room < (this.#lastTaken.get(engine) ?? 0))) return QUEUE_FULL;
    return { engine };
  }

  /** Decodes the body and hands its spans to the engine admitted for it. */
  receive(engine: SpanEngine, body: Buffer, encoding: Encoding): IntakeOutcome {
    let decoded: DecodedSpans;
    try {
      decoded = this.#codec.decode(body, encoding);
    } catch (error) {
      if (error instanceof MalformedRequest) return { kind: "malformed", message: error.message };
      throw error;
    }
    // Taken whole or not at all: a request larger than the room left would make the queue drop events. An
    // engine with nothing waiting takes any request, so one larger than the whole queue is not refused forever.
    if (decoded.spans.length > engine.room && engine.queueDepth > 0) {
      return QUEUE_FULL;
    }
    this.#metrics.spansReceived += decoded.spans.length;
    this.#metrics.spansRejected += decoded.rejected;
    engine.accept(decoded.spans);
    this.#lastTaken.set(engine, decoded.spans.length);
    const partial =
      decoded.rejected > 0 ? { rejectedSpans: decoded.rejected, errorMessage: decoded.problems.join("; ") } : undefined;
    return { kind: "accepted", partial };
  }
}

function sameSecret(expected: Buffer, given: string | undefined): boolean {
  if (given === undefined) return false;
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
