/**
 * Where the demo reports, following the same environment variables as the
 * SDK: PERMISO_BASE_URL (e.g. a running `npx permiso-hooks dev`), else
 * Permiso itself when PERMISO_API_KEY is set, else a receiver started here,
 * which decides tool calls by the demo's policy (`policy.json`) as Permiso
 * would by yours.
 */
import { fileURLToPath } from "node:url";
import { loadToolPolicy, startDevServer, type DevServer } from "@permiso-io/custom-hooks-sdk/dev-server";

export interface Destination {
  /** Bridge options that point at it. */
  apiKey: string | undefined;
  baseUrl: string | undefined;
  /** Shown to the person: where the events went, and why there. */
  description: string;
  /** The receiver started here, when there is one. */
  receiver?: DevServer;
}

const PERMISO_URL = "https://alb.permiso.io";

export async function chooseDestination(env = process.env): Promise<Destination> {
  const baseUrl = env.PERMISO_BASE_URL || undefined;
  const apiKey = env.PERMISO_API_KEY || undefined;
  if (baseUrl) {
    // A local receiver accepts any key; Permiso needs a real one.
    return { apiKey: apiKey ?? "demo-key", baseUrl, description: `${baseUrl} (from PERMISO_BASE_URL)` };
  }
  if (apiKey) return { apiKey, baseUrl: undefined, description: `Permiso at ${PERMISO_URL} (PERMISO_API_KEY is set)` };
  const receiver = await startReceiver(Number(env.DEMO_PORT ?? 8787));
  return {
    apiKey: "demo-key",
    baseUrl: receiver.url,
    description: `a local receiver started by the demo at ${receiver.url} (set PERMISO_BASE_URL or PERMISO_API_KEY to report elsewhere)`,
    receiver,
  };
}

/** The tool decisions of the receiver the demo starts; `npx permiso-hooks dev --policy` takes the same file. */
export const DEMO_POLICY_FILE = fileURLToPath(new URL("./policy.json", import.meta.url));

async function startReceiver(port: number): Promise<DevServer> {
  const policy = await loadToolPolicy(DEMO_POLICY_FILE);
  try {
    return await startDevServer({ port, policy });
  } catch {
    return startDevServer({ port: 0, policy }); // the usual port is busy: any free one will do
  }
}
