// Shared harness for the UI end-to-end tests: a static server for dist/ that sends the
// app's real Content-Security-Policy, Debian's Chromium through playwright-core, and a
// page with the fake core (fake-core.js) installed before the app's own scripts run.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { after, afterEach, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { routeMedia } from "./media.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
export const DIST = resolve(here, "..", "dist");
export const RESULTS = resolve(here, "..", "test-results");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The policy the Tauri window enforces (src-tauri/tauri.conf.json); the built app must run under it untouched. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: asset: http://asset.localhost haul-media: http://haul-media.localhost; media-src haul-media: http://haul-media.localhost; connect-src ipc: http://ipc.localhost; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * A Windows user agent: the app then asks for media at http://haul-media.localhost/…
 * (as under WebView2), which Playwright can answer; Chromium cannot route the
 * haul-media:// scheme the Linux and macOS windows use.
 */
const WINDOWS_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

const FAKE_CORE = ["fake-library.js", "fake-faces.js", "fake-sources.js", "fake-stats.js", "fake-core.js"].map((file) => readFileSync(join(here, file), "utf8")).join("\n");

/**
 * For a test file: serves dist/ and launches Chromium before its tests and closes both after
 * them. `open(options)` opens the app in a fresh page, as openApp does; after each test the
 * page is closed and must have had no page errors, console errors or CSP violations.
 */
export function useBuiltUi() {
  let server;
  let browser;
  let app;
  before(async () => {
    server = await serveDist();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    if (!app) return;
    const current = app;
    app = undefined;
    await current.close();
    assert.deepEqual(current.problems, [], "no page errors, console errors or CSP violations");
  });
  return {
    open: async (options) => {
      app = await openApp(browser.browser, server.url, options);
      return app;
    },
  };
}

/** Serves dist/ on 127.0.0.1 at a free port. Resolves to { url, close }. */
export async function serveDist() {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error(`${DIST}/index.html is missing: run \`npm run build\` before \`npm run test:e2e\`.`);
  }
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      let file = normalize(join(DIST, path));
      if (!file.startsWith(DIST + sep) && file !== DIST) {
        res.writeHead(403).end();
        return;
      }
      if (path === "/" || !existsSync(file)) file = join(DIST, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
        "Content-Security-Policy": CSP,
        "Cache-Control": "no-store",
      });
      res.end(body);
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok(undefined));
      }),
  };
}

/** Launches Chromium; the returned close() always ends the browser process. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM} (apt-get install chromium).`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  const kill = () => {
    try {
      browser.process()?.kill("SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", kill);
  return {
    browser,
    async close() {
      try {
        await Promise.race([browser.close(), new Promise((ok) => setTimeout(ok, 10_000))]);
      } finally {
        kill();
        process.removeListener("exit", kill);
      }
    },
  };
}

/**
 * Opens the app in a fresh context with the fake core installed first. `hash` opens another
 * window's page (e.g. "#/quick-add"); `ready` is what to wait for before the test goes on.
 * Collects page errors, console errors and CSP violations into `problems`.
 * With `clock`, Playwright's fake clock is installed first (time still flows), so a test
 * can move the page's time on with `page.clock` (e.g. to build minutes of speed history).
 * With `media`, library thumbnails and files are served (generated PNGs; see media.mjs),
 * `media.failThumbs` (ids) answering 415 as the core does for what it cannot preview.
 */
export async function openApp(
  browser,
  baseUrl,
  {
    core = {},
    colorScheme = "light",
    clock = false,
    viewport = { width: 1120, height: 640 },
    hash = "",
    ready = ".app",
    media = null,
  } = {},
) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    colorScheme,
    reducedMotion: "reduce",
    ...(media ? { userAgent: WINDOWS_UA } : {}),
  });
  if (media) await routeMedia(context, media);
  if (clock) await context.clock.install({ time: new Date("2025-03-01T10:00:00Z") });
  await context.addInitScript({
    content: `${FAKE_CORE}
installFakeCore(${JSON.stringify(core)});
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});`,
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // A thumbnail the core cannot make is an answer the gallery handles (a kind icon), not a problem.
    if (/^http:\/\/haul-media\.localhost\/thumb\//.test(message.location()?.url ?? "")) return;
    problems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${baseUrl}${hash}`);
  await page.locator(ready).waitFor();
  return {
    page,
    problems,
    /** Calls a method of window.__haulFake in the page. */
    fake: (method, ...args) =>
      page.evaluate(([m, a]) => window.__haulFake[m](...a), [method, args]),
    async close() {
      const violations = await page.evaluate(() => window.__cspViolations).catch(() => []);
      problems.push(...violations.map((v) => `CSP violation: ${v}`));
      await context.close();
    },
  };
}

/** Retries an assertion until it passes or the time is up (then throws its last error). */
export async function eventually(assertion, { timeout = 5_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((ok) => setTimeout(ok, interval));
    }
  }
}

export async function screenshot(page, name) {
  await mkdir(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, `${name}.png`) });
}
