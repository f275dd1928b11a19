/**
 * JSON encoding of request bodies. `JSON.stringify` runs first; only when it
 * fails do we walk the value to name the field that cannot be encoded, so the
 * common path costs nothing extra.
 */

export class JsonEncodingError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = "JsonEncodingError";
  }
}

export function encodeJson(value: unknown, rootPath = "body"): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new JsonEncodingError(...explainEncodingFailure(value, rootPath, error));
  }
}

function explainEncodingFailure(
  value: unknown,
  rootPath: string,
  error: unknown,
): [message: string, path: string] {
  const ancestors: object[] = [];
  const walk = (node: unknown, path: string): [string, string] | undefined => {
    if (typeof node === "bigint") return [`${path} is a BigInt, which JSON cannot encode`, path];
    if (typeof node !== "object" || node === null) return undefined;
    if (ancestors.includes(node)) return [`${path} is a circular reference`, path];
    if (typeof (node as { toJSON?: unknown }).toJSON === "function") return undefined;
    ancestors.push(node);
    const entries = Array.isArray(node)
      ? node.map((item, index) => [`${path}[${index}]`, item] as const)
      : Object.entries(node).map(([key, item]) => [`${path}.${key}`, item] as const);
    for (const [childPath, child] of entries) {
      const found = walk(child, childPath);
      if (found) return found;
    }
    ancestors.pop();
    return undefined;
  };
  const found = walk(value, rootPath);
  if (found) return [`${found[0]}`, found[1]];
  const reason = error instanceof Error ? error.message : String(error);
  return [`${rootPath} could not be encoded as JSON: ${reason}`, rootPath];
}
