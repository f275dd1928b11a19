/**
 * The strict local receiver, answering `tool_use` events with a scripted
 * decision (or a fault), as Permiso would before a tool runs. Every request
 * is recorded and checked against the endpoint's schema; other events are
 * stored as usual.
 */
import { startDevServer, type DevServer, type Interception } from "../../src/dev-server/index.js";
import { validateHookBody, formatIssues } from "../../src/protocol/validate.js";

/** What Permiso answers to one tool call: a decision body, or a fault. */
export type ToolAnswer = Record<string, unknown> | Interception;

export interface DecidingReceiver {
  url: string;
  server: DevServer;
  /** Every request body, in arrival order. */
  requests: any[];
  /** Only the `tool_use` bodies. */
  toolUses(): any[];
  /** Requests the strict schema refused, with their problems. */
  invalid: string[];
  /** Decides each `tool_use`; `undefined` answers `{}` (allow). */
  decide: (body: any) => ToolAnswer | undefined;
  close(): Promise<void>;
}

export const allow = { permission: "allow" } as const;
export const deny = (agentMessage?: string, extra: Record<string, unknown> = {}) => ({
  permission: "deny",
  ...(agentMessage !== undefined && { agent_message: agentMessage }),
  ...extra,
});

const isInterception = (answer: ToolAnswer): answer is Interception =>
  ["status", "hang", "reset", "delayMs", "loseResponse"].some((key) => key in answer);

/** `decide` maps a tool name to an answer; tests can replace it between runs. */
export async function startDecidingReceiver(
  decide: (body: any) => ToolAnswer | undefined = () => undefined,
): Promise<DecidingReceiver> {
  const receiver = { requests: [] as any[], invalid: [] as string[], decide } as DecidingReceiver;
  receiver.toolUses = () => receiver.requests.filter((body) => body?.event?.type === "tool_use");
  const server = await startDevServer({
    port: 0,
    intercept: ({ body: raw }) => {
      let body: any;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      receiver.requests.push(body);
      if (body?.event?.type !== "tool_use") return undefined;
      const issues = validateHookBody(body);
      if (issues.length > 0) receiver.invalid.push(formatIssues(issues));
      const answer = receiver.decide(body) ?? {};
      return isInterception(answer) ? answer : { status: 200, body: JSON.stringify(answer) };
    },
  });
  receiver.server = server;
  receiver.url = server.url;
  receiver.close = () => server.close();
  return receiver;
}
