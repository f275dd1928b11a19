/**
 * What the host would notice: unhandled rejections, and stalls of its event
 * loop. Started before a workload, read after it.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

export interface HostGuards {
  unhandled: unknown[];
  /** Longest event-loop stall seen, in ms. */
  maxStallMs(): number;
  stop(): void;
}

export function watchHost(): HostGuards {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    unhandled,
    maxStallMs: () => histogram.max / 1e6,
    stop: () => {
      histogram.disable();
      process.off("unhandledRejection", onUnhandled);
    },
  };
}
