/**
 * The strict receiver with faults: a plan decides, per request, whether to
 * answer normally or inject a failure. Every request is also recorded raw,
 * so tests can see duplicates, order and timing.
 */
import { startDevServer, type DevServer, type Interception } from "../../src/dev-server/index.js";

export type Fault =
  | "503"
  | "502"
  | "504"
  | "429"
  | "reset"
  | "hang"
  | "slow"
  | "400"
  | "500"
  | "lost-response";

export const FAULT_INTERCEPTIONS: Record<Fault, Interception> = {
  "503": { status: 503, body: "" },
  "502": { status: 502, body: "<html>bad gateway</html>" },
  "504": { status: 504, body: "" },
  "429": { status: 429, headers: { "Retry-After": "1" }, body: '{"error":"slow down"}' },
  reset: { reset: true },
  hang: { hang: true },
  slow: { delayMs: 300 },
  "400": { status: 400, body: '{"error":{"issues":[{"path":["event","text"],"message":"Required"}]}}' },
  "500": { status: 500, body: "" },
  "lost-response": { loseResponse: true },
};

export interface FaultyRequest {
  at: number;
  fault: Fault | undefined;
  body: any;
}

export interface FaultReceiver {
  url: string;
  server: DevServer;
  requests: FaultyRequest[];
  close(): Promise<void>;
}

/**
 * `plan(attempt, elapsedMs)` returns the fault for this request, or undefined
 * for a normal answer; `elapsedMs` counts from the first request, so a slow
 * start (a loaded machine) does not eat into a plan's time.
 */
export async function startFaultReceiver(plan: (attempt: number, elapsedMs: number) => Fault | undefined): Promise<FaultReceiver> {
  let firstAt: number | undefined;
  const requests: FaultyRequest[] = [];
  const server = await startDevServer({
    port: 0,
    intercept: ({ attempt, body }) => {
      firstAt ??= Date.now();
      const fault = plan(attempt, Date.now() - firstAt);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = body;
      }
      requests.push({ at: Date.now(), fault, body: parsed });
      return fault ? FAULT_INTERCEPTIONS[fault] : undefined;
    },
  });
  return { url: server.url, server, requests, close: () => server.close() };
}

/**
 * Faults cycling through `faults` for the first `burst.ms` and at least the
 * first `burst.requests` requests, then a healthy endpoint. The count makes
 * the burst real however slowly requests come; the time lets retries
 * outlast it.
 */
export function burstThenRecover(faults: Fault[], burst: { ms: number; requests: number }) {
  return (attempt: number, elapsedMs: number): Fault | undefined =>
    elapsedMs < burst.ms || attempt <= burst.requests ? faults[attempt % faults.length] : undefined;
}
