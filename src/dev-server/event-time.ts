/**
 * When an event happened. Hooks are delivered in parallel, so arrival order
 * can differ from the order things happened: the event's own timestamp wins,
 * and the arrival time stands in only when the event has none.
 */

/** The event's own `timestamp` in epoch ms, when it has a readable one. */
export function eventTimestamp(event: { timestamp?: unknown }): number | undefined {
  const { timestamp } = event;
  if (typeof timestamp === "number" && Number.isFinite(timestamp)) return timestamp;
  if (typeof timestamp === "string") {
    const parsed = Date.parse(timestamp);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return undefined;
}

/** When a received event happened: its own timestamp, else when it arrived. */
export function happenedAt(received: { receivedAt: number; body: { event: { timestamp?: unknown } } }): number {
  return eventTimestamp(received.body.event) ?? received.receivedAt;
}
