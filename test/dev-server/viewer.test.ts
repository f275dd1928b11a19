/** The run viewer page, driven in headless Chromium against a real dev server. */
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev-server/index.js";
import { CHILD, HOSTILE, OPEN, PARENT, hook, sampleRunBodies } from "./sample-runs.js";

const CHROMIUM = "/usr/bin/chromium";
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
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; the viewer tests need it. Run: apt-get install -y chromium`);
  }
  server = await startDevServer({ port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
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
    expect(tree.map(({ runId, nestedUnder }) => ({ runId, nestedUnder }))).toEqual([
      { runId: PARENT, nestedUnder: null },
      { runId: CHILD, nestedUnder: PARENT },
      { runId: OPEN, nestedUnder: null },
    ]);
    const [parent, child, open] = tree;
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
    await expect.poll(async () => (await readTree(page))[2]).toMatchObject({ runId: OPEN, open: false, stop: expect.stringContaining("max_tokens") });

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
