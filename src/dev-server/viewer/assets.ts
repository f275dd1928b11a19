/** The viewer's files: the page, its style, its script and an icon, all served from memory. */
import type { ServerResponse } from "node:http";
import { FAVICON_SVG, VIEWER_CSS, VIEWER_HTML } from "./page.js";
import { loadViewerScript } from "./script.js";

/** Same-origin only: hook content is text, and the page needs nothing from elsewhere. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

type Asset = { type: string; body: () => string | Promise<string> };

const ASSETS: Record<string, Asset> = {
  "/": { type: "text/html; charset=utf-8", body: () => VIEWER_HTML },
  "/index.html": { type: "text/html; charset=utf-8", body: () => VIEWER_HTML },
  "/viewer.css": { type: "text/css; charset=utf-8", body: () => VIEWER_CSS },
  "/viewer.js": { type: "text/javascript; charset=utf-8", body: loadViewerScript },
  "/favicon.ico": { type: "image/svg+xml", body: () => FAVICON_SVG },
};

/** Answers a GET for one of the viewer's files; false when `pathname` is not one. */
export function serveViewerAsset(pathname: string, response: ServerResponse): boolean {
  const asset = Object.hasOwn(ASSETS, pathname) ? ASSETS[pathname] : undefined;
  if (!asset) return false;
  void Promise.resolve(asset.body()).then(
    (body) => {
      response.writeHead(200, {
        "Content-Type": asset.type,
        "Content-Length": Buffer.byteLength(body),
        "Cache-Control": "no-store",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
      });
      response.end(body);
    },
    (error: unknown) => {
      response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      response.end(`The viewer's script could not be prepared: ${String(error)}`);
    },
  );
  return true;
}
