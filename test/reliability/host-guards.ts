/**
 * What the host would notice: unhandled rejections, and stalls of its event
 * loop. Started before a workload, read after it.
 *
 * A stall is synchronous work that keeps the loop from turning. On a loaded
 * machine the OS also keeps it from turning, for as long as it likes, and
 * no code of ours can prevent that, so a stall is measured in the CPU time
 * the loop's thread spent while a monitor timer was late: a timer late by
 * 80 ms while the thread computed for 2 ms is a 2 ms stall; one late by
 * 80 ms while it computed for 80 ms is an 80 ms stall.
 */
import { readFileSync } from "node:fs";

export interface HostGuards {
  unhandled: unknown[];
  /** Longest event-loop stall seen, in ms of the loop thread's CPU time. */
  maxStallMs(): number;
  /** Longest lateness of the monitor's timer, in ms of wall time (what the OS delays count in). */
  maxDelayMs(): number;
  stop(): void;
}

/** How often the monitor looks; a stall is counted to within this much. */
const INTERVAL_MS = 10;

export function watchHost(): HostGuards {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  let maxStall = 0;
  let maxDelay = 0;
  let lastWall = performance.now();
  let lastCpu = threadCpuMs();
  /** Since the monitor last looked: how late it is, and how much of that the thread computed. */
  const sinceLastLook = () => {
    const late = performance.now() - lastWall - INTERVAL_MS;
    return { late, stall: Math.min(late, threadCpuMs() - lastCpu) };
  };
  const look = () => {
    const { late, stall } = sinceLastLook();
    maxDelay = Math.max(maxDelay, late);
    maxStall = Math.max(maxStall, stall);
    lastWall = performance.now();
    lastCpu = threadCpuMs();
  };
  const timer = setInterval(look, INTERVAL_MS);
  let stopped = false;
  // Until it stops, a reading also counts the stretch since the monitor last looked (a stall that just ended).
  return {
    unhandled,
    maxStallMs: () => (stopped ? maxStall : Math.max(maxStall, sinceLastLook().stall)),
    maxDelayMs: () => (stopped ? maxDelay : Math.max(maxDelay, sinceLastLook().late)),
    stop: () => {
      if (stopped) return;
      look();
      stopped = true;
      clearInterval(timer);
      process.off("unhandledRejection", onUnhandled);
    },
  };
}

/**
 * The longest stall while `work` runs on its own: what the host's own code
 * costs, to set against what it costs with our code in. Run it first, and it
 * also warms the host's code paths, so first-run compilation is not counted
 * against ours.
 */
export async function stallOf(work: () => Promise<unknown>): Promise<number> {
  const guards = watchHost();
  try {
    await work();
    return guards.maxStallMs();
  } finally {
    guards.stop();
  }
}

const SCHEDSTAT = "/proc/thread-self/schedstat";
const hasSchedstat = (() => {
  try {
    return readFileSync(SCHEDSTAT, "utf8").length > 0;
  } catch {
    return false;
  }
})();

/**
 * CPU time of the calling thread, in ms: on Linux its time on a CPU from
 * the scheduler (ns); elsewhere the process's CPU time, which also counts
 * its other threads (GC helpers), so it can only overstate a stall.
 */
export function threadCpuMs(): number {
  if (hasSchedstat) return Number(readFileSync(SCHEDSTAT, "utf8").split(" ", 1)[0]) / 1e6;
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
}
