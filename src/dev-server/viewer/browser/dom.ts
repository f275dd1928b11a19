/**
 * Builds DOM nodes from data. Every string becomes a text node (never
 * markup), with control and direction-changing characters written out, so
 * hook content cannot inject HTML or disguise itself.
 */
import { escapeControlCharacters } from "../../../protocol/printable.js";

export type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined;
/** Attributes by name; `onclick` is the one listener, added rather than written as markup. */
export type Attrs = { [name: string]: AttrValue | (() => void); onclick?: () => void };

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === "function") node.addEventListener(key === "onclick" ? "click" : key, value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false || child === "") continue;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(child instanceof Node ? child : text(String(child)));
  }
}

/** A text node safe to show: control characters and bidi overrides written as escapes. */
export function text(value: string): Text {
  return document.createTextNode(escapeControlCharacters(value, { keepLineBreaks: true }));
}
