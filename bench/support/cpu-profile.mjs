/**
 * Summarises a `.cpuprofile` written by `node --cpu-prof`: self time per
 * function and per area, with frames in `dist/` mapped back to their
 * `src/` file and line through the build's source maps, so the summary
 * names the code to change rather than a bundle chunk.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./harness.mjs";

/** Read afresh for every profile: the bundles they point into are rebuilt between runs. */
let maps = new Map();

function sourceMapFor(url) {
  if (maps.has(url)) return maps.get(url);
  let map = null;
  try {
    const file = fileURLToPath(url);
    if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
  } catch {
    map = null;
  }
  maps.set(url, map);
  return map;
}

/** Where a frame comes from, as a person would name it. */
function locate(callFrame) {
  const { url, functionName, lineNumber, columnNumber } = callFrame;
  const name = functionName || "(anonymous)";
  if (!url) {
    if (name.startsWith("(")) return { name, where: "", area: name };
    return { name, where: "native", area: `native ${name}` };
  }
  if (url.startsWith("node:")) {
    const mod = url.slice(5);
    const area = /^internal\/(modules|bootstrap|deps\/cjs-module-lexer)/.test(mod)
      ? "startup: module loading"
      : /http|net|stream|dns|tcp|url/.test(mod)
        ? "node: http client, sockets, streams"
        : `node: ${mod.split("/")[0] === "internal" ? mod.split("/").slice(0, 2).join("/") : mod}`;
    return { name, where: `${url}:${lineNumber + 1}`, area };
  }
  if (url.startsWith("file://")) {
    const file = relative(ROOT, fileURLToPath(url));
    const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    if (pkg) return { name, where: `${pkg[1]}:${lineNumber + 1}`, area: pkg[1] };
    const entry = sourceMapFor(url)?.findEntry(lineNumber, columnNumber);
    if (entry?.originalSource) {
      const original = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : resolve(dirname(fileURLToPath(url)), entry.originalSource);
      const source = relative(ROOT, original);
      const area = source.startsWith("src/") ? `ours: ${source}` : source.startsWith("bench/") ? "bench harness" : source;
      return { name, where: `${source}:${entry.originalLine + 1}`, area };
    }
    if (file.startsWith("dist/")) return { name, where: `${file}:${lineNumber + 1}`, area: `ours: ${file}` };
    return { name, where: `${file}:${lineNumber + 1}`, area: file.startsWith("bench/") ? "bench harness" : file };
  }
  return { name, where: url, area: url };
}

/**
 * `{ totalMs, busyMs, functions: [{name, where, area, ms, share}], areas: [...] }`,
 * shares of busy time (idle excluded), largest first.
 */
export function summarizeProfile(file) {
  maps = new Map();
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map();
  const areas = new Map();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const loc = locate(byId.get(id).callFrame);
    totalUs += us;
    if (loc.name === "(idle)") {
      idleUs += us;
      continue;
    }
    const key = `${loc.name}\u0000${loc.where}`;
    const f = functions.get(key) ?? { ...loc, us: 0 };
    f.us += us;
    functions.set(key, f);
    areas.set(loc.area, (areas.get(loc.area) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const share = (us) => us / busyUs;
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .map((f) => ({ name: f.name, where: f.where, area: f.area, ms: f.us / 1000, share: share(f.us) })),
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: us / 1000, share: share(us) })),
  };
}

export function profileMarkdown(summary, { functions = 12, areas = 10, ours = 10 } = {}) {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const own = summary.functions.filter((f) => f.area.startsWith("ours"));
  const ownMs = own.reduce((n, f) => n + f.ms, 0);
  return [
    `Busy (non-idle) main-thread time ${summary.busyMs.toFixed(0)} ms, of which our src/ code ${ownMs.toFixed(0)} ms (${pct(ownMs / summary.busyMs)}).`,
    "",
    "| area | self time | share |",
    "| --- | --- | --- |",
    ...summary.areas.slice(0, areas).map((a) => `| ${a.area} | ${a.ms.toFixed(0)} ms | ${pct(a.share)} |`),
    "",
    "| function | where | self time | share |",
    "| --- | --- | --- | --- |",
    ...summary.functions.slice(0, functions).map((f) => `| \`${f.name}\` | ${f.where} | ${f.ms.toFixed(1)} ms | ${pct(f.share)} |`),
    "",
    "Top functions of ours (src/) by self time:",
    "",
    "| function | where | self time | share |",
    "| --- | --- | --- | --- |",
    ...own.slice(0, ours).map((f) => `| \`${f.name}\` | ${f.where} | ${f.ms.toFixed(1)} ms | ${pct(f.share)} |`),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(profileMarkdown(summarizeProfile(process.argv[2]), { functions: Number(process.argv[3] ?? 25), areas: 15 }));
}
