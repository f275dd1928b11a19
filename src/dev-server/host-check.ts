/**
 * Protection against DNS rebinding: a page on another origin can point its
 * own host name at 127.0.0.1 and then read the receiver (prompts, e-mail
 * addresses) or clear it, as if it were same-origin. The browser still sends
 * that name in `Host`, so only names that cannot be rebound are accepted:
 * loopback names and addresses, the address the receiver was bound to, the
 * machine's own addresses when bound to all interfaces, and names the user
 * allowed explicitly.
 */
import { networkInterfaces } from "node:os";

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];
const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);

/** The host names (without port) the receiver answers to. */
export function allowedHostNames(boundHost: string, extra: readonly string[] = []): Set<string> {
  const names = new Set([...LOOPBACK, ...extra.map(normalizeHostName), normalizeHostName(boundHost)]);
  if (WILDCARDS.has(boundHost)) {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const { address, family } of addresses ?? []) names.add(family === "IPv6" ? `[${address}]` : address);
    }
  }
  return names;
}

/** Whether a `Host` header (or an Origin's host) names one of `allowed`. A request without one is not from a browser. */
export function isAllowedHost(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (host === undefined) return true;
  return allowed.has(normalizeHostName(stripPort(host)));
}

/** The host part of an `Origin` header; `undefined` for `null` or a malformed one. */
export function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

export function isWildcardHost(host: string): boolean {
  return WILDCARDS.has(host);
}

function stripPort(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.indexOf(":");
  return colon === -1 ? host : host.slice(0, colon);
}

function normalizeHostName(name: string): string {
  const lower = name.toLowerCase().replace(/\.$/, "");
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
}
