/**
 * The viewer at scale, shared by the timing test and `npm run bench:viewer`:
 * a store filled with realistic runs, and the two figures a person feels
 * (how long until the page shows them, how long until a new event appears),
 * measured inside headless Chromium.
 */
import type { Page } from "playwright-core";
import type { DevServer } from "../../src/dev-server/index.js";
import type { HookBody } from "../../src/protocol/body.js";

export interface Scale {
  runs: number;
  eventsPerRun: number;
}

export const SCALE: Scale = { runs: 200, eventsPerRun: 100 };

/** `runs` runs of `eventsPerRun` events each: prompts, answers, reasoning, tool calls and results, a stop. */
export function fillStore(server: DevServer, { runs, eventsPerRun }: Scale = SCALE): void {
  const start = Date.UTC(2026, 0, 1, 9, 0, 0);
  for (let r = 0; r < runs; r++) {
    const runId = `${String(r).padStart(8, "0")}-5ca1-4e00-8000-${String(r).padStart(12, "0")}`;
    const identity = { sessionId: `session-${r % 20}`, user: { id: `user-${r % 50}`, email: `user${r % 50}@example.com` }, agent: { name: `agent-${r % 7}`, systemPrompt: "You are a careful assistant that uses tools when unsure." } };
    for (let i = 0; i < eventsPerRun; i++) {
      const timestamp = start + r * 60_000 + i * 250;
      const event = i === eventsPerRun - 1 ? stopEvent(timestamp) : contentEvent(i, timestamp);
      const hookEvent = event.source === "stop" ? "stop" : event.type === "tool_use" || event.type === "tool_result" ? String(event.name) : event.source === "user" ? "user_prompt" : "assistant_message";
      const body: HookBody = { hookEvent, runId, bourneVersion: "v2", clientSentAtMs: timestamp, event, ...identity };
      server.store.add(body, timestamp);
    }
  }
}

function contentEvent(i: number, timestamp: number): Record<string, unknown> {
  switch (i % 5) {
    case 0:
      return { source: "user", type: "text", text: `Question ${i}: what is the forecast for the next three days in Lisbon, and should I pack an umbrella?`, timestamp };
    case 1:
      return { source: "agent", type: "thinking", thinking: "The user wants a forecast; I should call the weather tool for Lisbon.", timestamp };
    case 2:
      return { source: "agent", type: "tool_use", name: "weather", toolUseId: `call_${i}`, input: { city: "Lisbon", days: 3, units: "metric" }, model: "gpt-4.1", timestamp };
    case 3:
      return { source: "agent", type: "tool_result", name: "weather", toolUseId: `call_${i - 1}`, content: '{"days":[{"high":24,"rain":0.1},{"high":22,"rain":0.6},{"high":21,"rain":0.2}]}', timestamp };
    default:
      return { source: "agent", type: "text", text: "Mostly sunny, with a chance of rain on the second day: pack a light umbrella.", model: "gpt-4.1", timestamp };
  }
}

function stopEvent(timestamp: number): Record<string, unknown> {
  return { source: "stop", stopReason: "end_turn", usage: { inputTokens: 5200, outputTokens: 900, totalTokens: 6100 }, timestamp };
}

export interface ViewerFigures {
  /** From navigation start until every run is listed and the first run's events are drawn. */
  firstRenderMs: number;
  /** Elements on the page at that moment. */
  domNodes: number;
  /** From posting one event until its row is on the page. */
  liveEventMs: number;
  /** Requests for /api/events or /api/runs the page made for the live event (0: it came as a delta). */
  rereadsForLiveEvent: number;
}

export async function measureViewer(page: Page, server: DevServer, expected: Scale = SCALE): Promise<ViewerFigures> {
  const summary = `${(expected.runs).toLocaleString("en-US")} runs \u00b7 ${(expected.runs * expected.eventsPerRun).toLocaleString("en-US")} events`;
  await page.goto(`${server.url}/`, { waitUntil: "commit" });
  const firstRenderMs = (await (
    await page.waitForFunction(
      (text) => {
        const shown = document.getElementById("summary")?.textContent === text;
        const rows = document.querySelectorAll("#runs > [data-testid=run]:first-child > [data-testid=timeline] > [data-testid=event]").length;
        return shown && rows > 0 ? performance.now() : false;
      },
      summary,
      { polling: "raf", timeout: 60_000 },
    )
  ).jsonValue()) as number;
  const domNodes = await page.evaluate(() => document.getElementsByTagName("*").length);
  await page.waitForFunction(() => document.getElementById("status")?.dataset.state === "live", undefined, { timeout: 30_000 });

  let rereads = 0;
  const countRereads = (request: { url(): string }) => {
    if (/\/api\/(events|runs)/.test(request.url())) rereads++;
  };
  page.on("request", countRereads);
  const runId = "f1e5a1ee-0000-4000-8000-000000000000";
  const sentAt = Date.now();
  const response = await fetch(`${server.url}/hooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "bench" },
    body: JSON.stringify({ hookEvent: "user_prompt", runId, bourneVersion: "v2", clientSentAtMs: sentAt, event: { source: "user", type: "text", text: "A live question." } }),
  });
  if (response.status !== 200) throw new Error(`posting the live event failed: ${response.status}`);
  const shownAt = (await (
    await page.waitForFunction(
      (id) => (document.querySelector(`[data-run-id="${id}"] [data-testid=event]`) ? Date.now() : false),
      runId,
      { polling: "raf", timeout: 30_000 },
    )
  ).jsonValue()) as number;
  page.off("request", countRereads);
  return { firstRenderMs, domNodes, liveEventMs: shownAt - sentAt, rereadsForLiveEvent: rereads };
}
