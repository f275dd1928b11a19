/**
 * Which Chromium the viewer tests and the viewer benchmark drive, so that
 * `npm test` needs nothing installed by hand:
 *
 * 1. `CHROMIUM_PATH=/path/to/chrome`: that one (`CHROMIUM_PATH=packaged`
 *    forces 3.);
 * 2. a system Chromium or Chrome on `PATH`;
 * 3. the Chromium shipped inside the npm package `@sparticuz/chromium`,
 *    unpacked once (about 2 s) into `node_modules/.cache/`, with the
 *    libraries it brings (NSS) ahead of the system's.
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, delimiter, dirname, join } from "node:path";
import { chromium, type Browser } from "playwright-core";

export type ChromiumSource = "configured" | "system" | "packaged";

export interface ChromiumChoice {
  source: ChromiumSource;
  executablePath: string;
  env?: Record<string, string>;
}

const SYSTEM_NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function findChromium(configured = process.env.CHROMIUM_PATH): ChromiumChoice {
  if (configured && configured !== "packaged") {
    if (!isExecutable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
    return { source: "configured", executablePath: configured };
  }
  if (configured !== "packaged") {
    for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
      for (const name of SYSTEM_NAMES) {
        const candidate = join(dir, name);
        if (isExecutable(candidate)) return { source: "system", executablePath: candidate };
      }
    }
  }
  return packagedChromium();
}

export async function launchChromium(choice: ChromiumChoice = findChromium()): Promise<Browser> {
  return chromium.launch({
    executablePath: choice.executablePath,
    args: ARGS,
    env: choice.env ? { ...process.env, ...choice.env } : undefined,
  });
}

/** The npm-packaged Chromium, unpacked into a private cache (atomically: parallel test workers may race). */
export function packagedChromium(): ChromiumChoice {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(dirname(require.resolve("@sparticuz/chromium")));
  const version = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).version as string;
  const cache = join(findNodeModules(packageDir), ".cache", "permiso-chromium", version);
  if (!existsSync(join(cache, "chromium"))) unpackInto(cache, packageDir);
  return {
    source: "packaged",
    executablePath: join(cache, "chromium"),
    env: {
      LD_LIBRARY_PATH: [join(cache, "al2023", "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter),
      FONTCONFIG_PATH: join(cache, "fonts"),
    },
  };
}

function unpackInto(cache: string, packageDir: string): void {
  const staging = `${cache}.unpacking-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // The package unpacks into os.tmpdir(); a child process with TMPDIR pointed at
  // the staging folder keeps it out of the shared /tmp.
  const script = `
    const { default: Chromium, inflate } = await import("@sparticuz/chromium");
    await Chromium.executablePath();
    await inflate(${JSON.stringify(join(packageDir, "bin", "al2023.tar.br"))});
  `;
  execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: packageDir,
    env: { ...process.env, TMPDIR: staging },
    stdio: "inherit",
  });
  try {
    renameSync(staging, cache);
  } catch (error) {
    // Another worker finished first: use theirs.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(cache, "chromium"))) throw error;
  }
}

function findNodeModules(packageDir: string): string {
  let dir = packageDir;
  while (basename(dir) !== "node_modules" && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
