/** How the viewer writes numbers, times and long text. */

export const num = (n: number): string => Number(n).toLocaleString("en-US");

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `09:30:01.500`, in the browser's time zone. */
export function clock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** Tool results are text, but usually JSON text: indented when it parses. */
export function prettyIfJson(value: string): string {
  const trimmed = value.trim();
  if (!/^[[{]/.test(trimmed)) return value;
  try {
    return prettyJson(JSON.parse(trimmed));
  } catch {
    return value;
  }
}

// Long content is cut at whichever comes first, so one huge line cannot fill the screen.
export const PREVIEW_CHARS = 600;
export const PREVIEW_LINES = 12;

export function isLong(value: string): boolean {
  if (value.length > PREVIEW_CHARS) return true;
  let lines = 1;
  for (let i = value.indexOf("\n"); i !== -1 && lines <= PREVIEW_LINES; i = value.indexOf("\n", i + 1)) lines++;
  return lines > PREVIEW_LINES;
}

/** The start of long text, ended on a line break when one is close, so it does not stop mid-sentence. */
export function preview(value: string): string {
  const joined = value.split("\n", PREVIEW_LINES).join("\n");
  if (joined.length <= PREVIEW_CHARS) return `${joined}\u2026`;
  const head = joined.slice(0, PREVIEW_CHARS);
  const lastBreak = head.lastIndexOf("\n");
  return lastBreak > PREVIEW_CHARS / 2 ? `${head.slice(0, lastBreak)}\n\u2026` : `${head}\u2026`;
}

export function describeUser(user: { name?: string; id?: string; email?: string } | undefined): string {
  if (!user) return "";
  const name = user.name || user.id || "";
  if (user.email) return name ? `${name} <${user.email}>` : user.email;
  return name;
}
