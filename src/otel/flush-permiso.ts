/**
 * `flushPermiso()`: one call that settles everything the bridge has to send
 * in this process, for hosts that freeze or exit right after (serverless).
 *
 * `provider.forceFlush()` cannot promise this on its own for an exporter: a
 * BatchSpanProcessor whose buffer is empty never calls its exporter, and
 * it never calls `exporter.forceFlush()`. So every exporter and processor
 * registers itself here, and `flushPermiso()` runs each one's own
 * `forceFlush()`. The registry lives on `globalThis` under a registered
 * symbol, so the ESM and CommonJS builds share it, and holds its members
 * weakly, so it keeps nothing alive.
 */
const REGISTRY = Symbol.for("@permiso-io/custom-hooks-sdk/flushables");

interface Flushable {
  forceFlush(): Promise<void>;
}

function registry(): Set<WeakRef<Flushable>> {
  const holder = globalThis as { [REGISTRY]?: Set<WeakRef<Flushable>> };
  return (holder[REGISTRY] ??= new Set());
}

/** Called by every exporter and processor when it is constructed. */
export function registerFlushable(flushable: Flushable): void {
  registry().add(new WeakRef(flushable));
}

/**
 * Flushes every `PermisoSpanExporter` and `PermisoSpanProcessor` of the
 * process: releases the spans they hold, hands over what the host's calls
 * recorded, and waits until every event released so far has been
 * delivered or has finally failed. Each settles within its own
 * `flushTimeoutMs` (default 30 s); what is still pending then is aborted
 * and counted as failed (`getStats().eventsFailed`). Never rejects.
 */
export async function flushPermiso(): Promise<void> {
  const members = registry();
  const flushes: Array<Promise<void>> = [];
  for (const ref of members) {
    const flushable = ref.deref();
    if (!flushable) {
      members.delete(ref);
      continue;
    }
    flushes.push(flushable.forceFlush().catch(() => undefined));
  }
  await Promise.all(flushes);
}
