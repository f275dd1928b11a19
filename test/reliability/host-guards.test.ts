/**
 * The stall check itself: it must catch a real synchronous stall, and must
 * not count the time the OS keeps the process off the CPU (a loaded machine).
 */
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { threadCpuMs, watchHost, type HostGuards } from "./host-guards.js";

let guards: HostGuards | undefined;
afterEach(() => guards?.stop());

/** A few turns of the monitor, so it has looked since whatever came before. */
async function letTheMonitorLook(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setTimeout(resolve, 15));
}

describe("the stall check", () => {
  it("counts synchronous work that keeps the loop from turning", async () => {
    guards = watchHost();
    await letTheMonitorLook();
    // 120 ms of the thread's own CPU time, however long the OS takes to give it.
    const until = threadCpuMs() + 120;
    while (threadCpuMs() < until);
    await letTheMonitorLook();
    expect(guards.maxStallMs()).toBeGreaterThanOrEqual(100);
  });

  it.skipIf(process.platform === "win32")("does not count the time the OS keeps the process stopped", async () => {
    guards = watchHost();
    await letTheMonitorLook();
    // The process is stopped for 300 ms, as an overloaded machine would keep it waiting.
    const pause = spawn("sh", ["-c", `kill -STOP ${process.pid}; sleep 0.3; kill -CONT ${process.pid}`], { stdio: "ignore" });
    await new Promise((resolve) => pause.once("exit", resolve));
    await letTheMonitorLook();
    expect(guards.maxDelayMs()).toBeGreaterThanOrEqual(250);
    expect(guards.maxStallMs()).toBeLessThan(50);
  });
});
