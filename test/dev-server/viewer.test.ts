/** The run viewer page, driven in headless Chromium against a real dev server. */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { launchChromium } from "../support/chromium.js";
import { CHILD, HOSTILE, OPEN, PARENT, hook, sampleRunBodies } from "./sample-runs.js";

const SCREENSHOT = "test-artifacts/viewer.png";

let server: DevServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const dialogs: string[] = [];

async function post(body: unknown): Promise<void> {
  const response = await fetch(`${server.url}/hooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "test" },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.text()).toBe(200);
}

/** The rendered tree, read through data-testid attributes only. */
function readTree(target: Page) {
  return target.evaluate(() => {
    const ownerOf = (node: Element) => node.parentElement?.closest("[data-testid=run]")?.getAttribute("data-run-id") ?? null;
    return [...document.querySelectorAll("[data-testid=run]")].map((run) => {
      const runId = run.getAttribute("data-run-id");
      const own = (selector: string) => [...run.querySelectorAll(selector)].filter((node) => node.closest("[data-testid=run]") === run);
      return {
        runId,
        nestedUnder: ownerOf(run),
        events: own("[data-testid=event]").map((event) => `${event.getAttribute("data-source")}/${event.getAttribute("data-type")}`),
        stop: own("[data-testid=run-stop]")[0]?.textContent ?? null,
        open: own("[data-testid=run-open]").length > 0,
      };
    });
  });
}

/** A run's own event rows, not those of its child runs. */
function eventRows(runId: string) {
  return page.locator(`[data-run-id="${runId}"] > [data-testid=timeline] > [data-testid=event]`);
}

beforeAll(async () => {
  server = await startDevServer({ port: 0, denyTools: ["delete_file"] });
  browser = await launchChromium();
  const context = await browser.newContext({ timezoneId: "UTC", viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("run viewer", () => {
  it("shows an empty state before any run arrives", async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId("empty-state").isVisible()).toBe(true);
    expect(await page.getByTestId("run").count()).toBe(0);
  });

  it("renders runs as a tree with their events in order and their stop summaries", async () => {
    for (const body of sampleRunBodies()) await post(body);
    await page.goto(server.url);
    await eventRows(OPEN).nth(2).waitFor();

    expect(await page.getByTestId("empty-state").count()).toBe(0);
    const tree = await readTree(page);
    // The newest run first (OPEN started after PARENT); the sub-run inside its parent.
    expect(tree.map(({ runId, nestedUnder }) => ({ runId, nestedUnder }))).toEqual([
      { runId: OPEN, nestedUnder: null },
      { runId: PARENT, nestedUnder: null },
      { runId: CHILD, nestedUnder: PARENT },
    ]);
    const [open, parent, child] = tree;
    expect(parent.events).toEqual(["user/text", "agent/text", "agent/tool_use", "user/tool_result", "agent/text", "stop/stop"]);
    expect(child.events).toEqual(["user/text", "agent/tool_use", "user/tool_result", "agent/text", "stop/stop"]);
    expect(open.events).toEqual(["user/text", "user/image", "agent/thinking"]);

    for (const token of ["end_turn", "1,842", "356", "2,198", "1,024", "cache read", "128", "cache write", "0.011653", "USD"]) {
      expect(parent.stop).toContain(token);
    }
    expect(child.stop).toMatch(/end_turn.*412.*in.*38.*out.*450.*total/);
    expect([parent.open, child.open, open.open]).toEqual([false, false, true]);
    expect(open.stop).toBeNull();

    const parentHeader = page.locator(`[data-run-id="${PARENT}"] > header`);
    for (const text of ["travel-planner", "sess-42", "Ada Lovelace <ada@example.com>", "agent-7"]) {
      await expect.poll(() => parentHeader.textContent()).toContain(text);
    }
    expect(await page.locator(`[data-run-id="${CHILD}"] > header`).textContent()).toContain(`parent${PARENT}`);

    mkdirSync("test-artifacts", { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it("shows each event's time, hook, and content", async () => {
    const parentRows = eventRows(PARENT);
    const first = await parentRows.nth(0).innerText();
    expect(first).toContain("09:30:00.250");
    expect(first).toContain("user_prompt");
    expect(first).toContain("Compare the weather in Paris and Tokyo.");
    expect(await parentRows.nth(1).innerText()).toMatch(/09:30:01\.500[\s\S]*assistant_message[\s\S]*claude-sonnet-4/);

    const toolUse = await parentRows.nth(2).innerText();
    expect(toolUse).toContain("get_weather");
    expect(toolUse).toContain("toolu_01");
    expect(toolUse).toContain('"city": "Paris"');
    const toolResult = await parentRows.nth(3).innerText();
    expect(toolResult).toContain("toolu_01");
    expect(toolResult).toContain('"conditions": "light rain"');

    const failed = eventRows(CHILD).nth(2);
    expect(await failed.getByTestId("tool-error").count()).toBe(1);
    expect(await failed.innerText()).toContain("Upstream timeout after 30s");
    expect(await eventRows(PARENT).nth(3).getByTestId("tool-error").count()).toBe(0);

    const image = await eventRows(OPEN).nth(1).innerText();
    expect(image).toContain("image/png");
    expect(image).toContain("2.0 KB");
    expect(await eventRows(PARENT).nth(5).innerText()).toMatch(/stop[\s\S]*end_turn[\s\S]*2,198/);
  });

  it("shows hook content as text, never as markup", async () => {
    const row = eventRows(OPEN).nth(0);
    expect(await row.innerText()).toContain(HOSTILE);
    expect(await page.locator("main img").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("collapses long content behind a show more toggle", async () => {
    const row = eventRows(PARENT).nth(4);
    expect(await row.innerText()).not.toContain("16. Paris");
    await row.getByTestId("show-more").click();
    await expect.poll(() => row.innerText()).toContain("16. Paris");
    expect(await row.getByTestId("show-more").textContent()).toBe("show less");
  });

  it("updates live when events arrive, without reloading the page", async () => {
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await post(hook(OPEN, "assistant_message", { source: "agent", type: "text", text: "Arrived while you watched." }, { sessionId: "sess-43" }));
    await expect.poll(() => eventRows(OPEN).count()).toBe(4);
    expect(await eventRows(OPEN).nth(3).innerText()).toContain("Arrived while you watched.");

    await post(hook(OPEN, "stop", { source: "stop", stopReason: "max_tokens", usage: { inputTokens: 900, outputTokens: 4096, totalTokens: 4996 } }));
    await expect.poll(async () => (await readTree(page)).find((run) => run.runId === OPEN)).toMatchObject({ open: false, stop: expect.stringContaining("max_tokens") });

    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await page.getByTestId("live-status").getAttribute("data-state")).toBe("live");
    // The expanded long answer stays expanded across live re-renders.
    expect(await eventRows(PARENT).nth(4).innerText()).toContain("16. Paris");
    expect(pageErrors).toEqual([]);
  });

  it("orders a run's events by when they happened, not when they arrived", async () => {
    const runId = "e5a1c9d3-0b7f-4e26-8d4a-7c3b2f1e0a96";
    const startedAt = Date.now();
    await post(hook(runId, "assistant_message", { source: "agent", type: "text", text: "second", timestamp: startedAt + 1000 }));
    await post(hook(runId, "user_prompt", { source: "user", type: "text", text: "first", timestamp: startedAt }));
    await expect.poll(() => eventRows(runId).count()).toBe(2);
    expect(await eventRows(runId).allInnerTexts()).toEqual([expect.stringContaining("first"), expect.stringContaining("second")]);
    expect(pageErrors).toEqual([]);
  });
});

describe("run viewer, as a person uses it", () => {
  const header = (runId: string) => page.locator(`[data-run-id="${runId}"] > header`);
  const visibleRunIds = () =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("#runs > [data-testid=run]")].filter((run) => !run.hidden).map((run) => run.dataset.runId),
    );

  it("shows a sub-run where its tool call started it, before the parent's stop", async () => {
    const rows = await page.evaluate((parent) => {
      const timeline = document.querySelector(`[data-run-id="${parent}"] > [data-testid=timeline]`)!;
      return [...timeline.children].map((row) => row.getAttribute("data-testid") === "sub-run" ? "sub-run" : `${row.getAttribute("data-source")}/${row.getAttribute("data-type")}`);
    }, PARENT);
    expect(rows).toEqual(["user/text", "agent/text", "agent/tool_use", "user/tool_result", "sub-run", "agent/text", "stop/stop"]);
  });

  it("takes 'started' from the first event's own timestamp", async () => {
    expect(await header(PARENT).getByTestId("run-started").innerText()).toContain("09:30:00.250");
  });

  it("shows the system prompt on demand", async () => {
    expect(await header(PARENT).getByTestId("system-prompt").count()).toBe(0);
    await header(PARENT).getByTestId("prompt-toggle").click();
    await expect.poll(() => header(PARENT).getByTestId("system-prompt").innerText()).toBe("You plan trips.");
    await header(PARENT).getByTestId("prompt-toggle").click();
    await expect.poll(() => header(PARENT).getByTestId("system-prompt").count()).toBe(0);
  });

  it("filters runs by agent, session, user, tool or text", async () => {
    const filterBy = async (query: string) => {
      await page.getByTestId("filter").fill(query);
      await expect.poll(() => page.locator("#runs").getAttribute("data-filter")).toBe(query);
      return visibleRunIds();
    };
    expect(await filterBy("agent:weather-researcher")).toEqual([PARENT]); // a tree is shown when any run in it matches
    expect(await filterBy("session:sess-43")).toEqual([OPEN]);
    expect(await filterBy("user:ada")).toEqual([PARENT]);
    expect(await filterBy("tool:web_search")).toEqual([PARENT]);
    expect(await filterBy("markup")).toEqual([OPEN]);
    expect(await filterBy("nothing-matches-this")).toEqual([]);
    expect(await page.getByTestId("summary").innerText()).toMatch(/^0 of 3 top-level runs match · 4 runs/);
    expect(await filterBy("")).toEqual(expect.arrayContaining([OPEN, PARENT]));
  });

  it("collapses and expands every run", async () => {
    await page.getByTestId("collapse-all").click();
    await expect.poll(() => page.locator("[data-testid=timeline]").count()).toBe(0);
    expect(await page.locator("[data-testid=run-toggle][aria-expanded=true]").count()).toBe(0);
    await page.getByTestId("expand-all").click();
    await expect.poll(() => eventRows(PARENT).count()).toBe(6);
    expect(await page.locator("[data-testid=run-toggle][aria-expanded=false]").count()).toBe(0);
  });

  it("wraps long unbroken names instead of cutting them off", async () => {
    const runId = `wrap-${"x".repeat(300)}`;
    await post(hook(runId, "tool_call_".repeat(20), { source: "agent", type: "tool_use", name: "t".repeat(300), toolUseId: "u".repeat(200) }, { agent: { name: "A".repeat(300) } }));
    const run = page.locator(`[data-run-id="${runId}"]`);
    await run.getByTestId("event").first().waitFor();
    const overflow = await run.evaluate((section) =>
      [...section.querySelectorAll<HTMLElement>(".run-id, .agent-name, .tool-name, .tool-id, .ev-hook")]
        .filter((node) => node.getBoundingClientRect().right > section.getBoundingClientRect().right + 1)
        .map((node) => node.className),
    );
    expect(overflow).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });

  it("neutralises right-to-left overrides and control characters in what it shows", async () => {
    const runId = "rtl-\u202Egnp.exe";
    await post(hook(runId, "user_prompt", { source: "user", type: "text", text: "title\u001b]0;x\u0007 end" }, { agent: { name: "agent\u202E" } }));
    const run = page.locator(`[data-run-id="${runId}"]`);
    await run.getByTestId("event").first().waitFor();
    const shown = await run.innerText();
    expect(shown).toContain("rtl-\\u202egnp.exe");
    expect(shown).not.toContain("\u202E");
    expect(shown).toContain("title\\u001b]0;x\\u0007 end");
  });

  it("marks tool calls the receiver denied", async () => {
    const runId = "d3n1ed00-0000-4000-8000-000000000001";
    await post(hook(runId, "delete_file", { source: "agent", type: "tool_use", name: "delete_file", toolUseId: "call_rm", input: { path: "/" } }));
    await post(hook(runId, "read_file", { source: "agent", type: "tool_use", name: "read_file", toolUseId: "call_read", input: { path: "/a" } }));
    const rows = eventRows(runId);
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute("data-denied")).toBe("true");
    expect(await rows.nth(0).getByTestId("denied").innerText()).toContain('The tool "delete_file" is denied by the local receiver');
    expect(await rows.nth(1).getAttribute("data-denied")).toBeNull();
    expect(await header(runId).getByTestId("run-denied").innerText()).toBe("1 denied");
  });

  it("shows runs whose parentRunIds form a loop, with a warning", async () => {
    await post(hook("loop-a", "user_prompt", { source: "user", type: "text", text: "a" }, { parentRunId: "loop-b" }));
    await post(hook("loop-b", "user_prompt", { source: "user", type: "text", text: "b" }, { parentRunId: "loop-a" }));
    await expect.poll(async () => (await readTree(page)).filter((run) => run.runId?.startsWith("loop-")).length).toBe(2);
    expect(await page.getByTestId("run-warning").first().innerText()).toContain("parentRunId forms a loop");
    expect(pageErrors).toEqual([]);
  });

  it("asks before clearing, and clears when confirmed", async () => {
    const before = await page.getByTestId("run").count();
    await page.getByTestId("clear").click();
    await expect.poll(() => page.getByTestId("confirm-clear").isVisible()).toBe(true);
    await page.getByTestId("confirm-cancel").click();
    expect(await page.getByTestId("run").count()).toBe(before);
    expect(server.store.events().length).toBeGreaterThan(0);

    await page.getByTestId("clear").click();
    await page.getByTestId("confirm-yes").click();
    await expect.poll(() => page.getByTestId("empty-state").isVisible()).toBe(true);
    expect(server.store.events()).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it("names a server error as such, rather than 'offline'", async () => {
    const errorPage = await browser.newPage();
    await errorPage.route("**/api/events*", (route) => route.fulfill({ status: 500, contentType: "application/json", body: '{"error":"Internal error: RangeError"}' }));
    await errorPage.goto(server.url);
    const status = errorPage.getByTestId("live-status");
    await expect.poll(() => status.getAttribute("data-state")).toBe("server-error");
    expect(await status.innerText()).toContain("HTTP 500");
    await errorPage.close();
  });
});

describe("run viewer at the store's limit", () => {
  it("says how many runs were evicted and drops them from the page as it happens", async () => {
    const small = await startDevServer({ port: 0, maxEvents: 10 });
    const viewer = await browser.newPage();
    try {
      const send = async (runId: string, text: string) => {
        const response = await fetch(`${small.url}/hooks`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": "test" },
          body: JSON.stringify(hook(runId, "user_prompt", { source: "user", type: "text", text })),
        });
        expect(response.status).toBe(200);
      };
      for (let i = 0; i < 4; i++) await send("oldest-run", `old ${i}`);
      await viewer.goto(small.url);
      await viewer.locator("[data-run-id=oldest-run] [data-testid=event]").first().waitFor();
      expect(await viewer.getByTestId("evicted-notice").isVisible()).toBe(false);
      for (let i = 0; i < 8; i++) await send("newer-run", `new ${i}`);
      await expect.poll(() => viewer.locator("[data-run-id=oldest-run]").count()).toBe(0);
      await expect.poll(() => viewer.getByTestId("evicted-notice").innerText()).toBe(
        "1 older runs (4 events) were evicted to stay within the receiver's limit of 10 events / 256 MB.",
      );
      await expect.poll(() => viewer.locator("[data-run-id=newer-run] [data-testid=event]").count()).toBe(8);
    } finally {
      await viewer.close();
      await small.close();
    }
  });
});
