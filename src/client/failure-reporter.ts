/**
 * The default `onError`: a failed delivery is never silent, but a backend
 * outage does not flood the host's logs either (one line a minute, with a
 * count of what was suppressed).
 */
import type { PermisoCustomHooksError } from "../errors.js";

const WINDOW_MS = 60_000;

export function createFailureReporter(
  warn: (message: string) => void = (message) => console.warn(message),
  now: () => number = Date.now,
): (error: PermisoCustomHooksError) => void {
  let windowStart = -Infinity;
  let suppressed = 0;
  return (error) => {
    const time = now();
    if (time - windowStart < WINDOW_MS) {
      suppressed++;
      return;
    }
    const note = suppressed > 0 ? ` (${suppressed} more failure${suppressed === 1 ? "" : "s"} in the previous minute)` : "";
    warn(`[permiso] hook event not delivered: ${error.message}${note}`);
    windowStart = time;
    suppressed = 0;
  };
}
