/**
 * Text from events and servers is shown to people: in a terminal, where
 * control characters are commands (an escape sequence can set the window
 * title or clear the screen), and on a page, where bidirectional overrides
 * reorder what is read (`rtl-\u202Egnp.exe` shows as `rtl-exe.png`). Such
 * characters are written out as visible escapes instead.
 */

// C0 and C1 controls, DEL, and the invisible marks that change text direction.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function visible(char: string): string {
  return NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * `text` with every control and direction-changing character written as an
 * escape (`\u001b`, `\n`, `\u202e`). With `keepLineBreaks`, newlines and
 * tabs stay as they are, for multi-line text on a page.
 */
export function escapeControlCharacters(text: string, options: { keepLineBreaks?: boolean } = {}): string {
  return text.replace(options.keepLineBreaks ? UNSAFE_BUT_LINE_BREAKS : UNSAFE, visible);
}
