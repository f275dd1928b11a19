/**
 * Reads an OTLP/HTTP request body within a size limit that also holds after
 * decompression: a gzip body is inflated with a bounded output, so a small
 * compressed body that expands without end is cut off as soon as it passes
 * the limit, never inflated in full.
 */
import type { IncomingMessage } from "node:http";
import { gunzip } from "node:zlib";

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "bad-gzip"; message: string };

export async function readBody(request: IncomingMessage, maxBytes: number, gzipped: boolean): Promise<BodyResult> {
  const tooLarge = (): BodyResult => ({
    ok: false,
    reason: "too-large",
    message: `the body is larger than ${maxBytes} bytes${gzipped ? " after decompression" : ""}`,
  });
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return tooLarge();
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks, size);
  if (!gzipped) return { ok: true, body: raw };
  return new Promise((resolve) => {
    gunzip(raw, { maxOutputLength: maxBytes }, (error, inflated) => {
      if (!error) resolve({ ok: true, body: inflated });
      else if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) resolve(tooLarge());
      else resolve({ ok: false, reason: "bad-gzip", message: `the body is not valid gzip: ${error.message}` });
    });
  });
}
