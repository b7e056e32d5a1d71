// The UI in Chromium against a real `haul serve` (not part of `npm run test:e2e`; run it
// with `npm run test:serve` after `npm run build`). Needs:
//   HAUL_BIN           the haul CLI (e.g. target/debug/haul)
//   HAUL_SERVE_PHOTOS  a folder of JPEG photos for the library
// It makes a data folder, adds the photos to the library and sets the password (both
// before the server starts: the data folder is one process's), starts the server on a
// free port, logs in through the login page, downloads a file from a slow local server
// while watching its progress bar, checks the bytes on disk, and waits for the library's
// thumbnails. Screenshots of each step go to test-results/serve-*.png.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DIST, eventually, launchBrowser, screenshot } from "./support.mjs";

const HAUL = process.env.HAUL_BIN;
const PHOTOS = process.env.HAUL_SERVE_PHOTOS;
const PASSWORD = "correct horse battery staple 42";
const MiB = 1024 * 1024;
/** The served file: big enough for several progress snapshots at the pace below. */
const FILE_SIZE = 24 * MiB;
const FILE_NAME = "haul-serve-sample.bin";
/** Bytes per 100 ms over all connections together (Haul opens several). */
const PACE_PER_100MS = 1 * MiB;

/** The same 24 MiB every run: a xorshift stream, so a byte out of place shows. */
function sampleBytes(size) {
  const bytes = Buffer.alloc(size);
  let x = 0x9e3779b9;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes.writeUInt32LE(x >>> 0, i);
  }
  return bytes;
}

/** Runs the haul CLI to its end; resolves to its output, rejects on a non-zero exit. */
function haul(args, { input = null, timeout = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(HAUL, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`haul ${args.join(" ")} exited with ${code}\n${stdout}\n${stderr}`));
    });
    child.stdin.end(input ?? "");
  });
}

/**
 * A slow file server on 127.0.0.1: GET and HEAD of /files/<name>, Content-Length,
 * Accept-Ranges and Range requests (206), paced over all connections together.
 */
async function slowFileServer(body) {
  let nextSlot = Date.now();
  const pace = async (bytes) => {
    const duration = (bytes / PACE_PER_100MS) * 100;
    const start = Math.max(nextSlot, Date.now());
    nextSlot = start + duration;
    const wait = start - Date.now();
    if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
  };
  const server = createServer(async (req, res) => {
    if (req.url !== `/files/${FILE_NAME}`) return res.writeHead(404).end();
    const common = { "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream", ETag: '"haul-sample-1"', "Last-Modified": "Sat, 01 Mar 2025 10:00:00 GMT" };
    let start = 0;
    let end = body.length - 1;
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
    if (range) {
      if (range[1] === "") {
        start = Math.max(0, body.length - Number(range[2]));
      } else {
        start = Number(range[1]);
        if (range[2] !== "") end = Math.min(end, Number(range[2]));
      }
      if (start > end || start >= body.length) {
        return res.writeHead(416, { ...common, "Content-Range": `bytes */${body.length}` }).end();
      }
      res.writeHead(206, { ...common, "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${body.length}` });
    } else {
      res.writeHead(200, { ...common, "Content-Length": body.length });
    }
    if (req.method === "HEAD") return res.end();
    let closed = false;
    res.on("close", () => (closed = true));
    for (let at = start; at <= end && !closed; at += 64 * 1024) {
      const chunk = body.subarray(at, Math.min(end + 1, at + 64 * 1024));
      await pace(chunk.length);
      if (!res.write(chunk)) await new Promise((ok) => res.once("drain", ok));
    }
    res.end();
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/files/${FILE_NAME}`,
    close: () => new Promise((ok) => (server.closeAllConnections(), server.close(ok))),
  };
}

/** Starts `haul serve` on a free port; resolves once it says where it listens. */
function startServe(dataDir) {
  const child = spawn(HAUL, ["--data-dir", dataDir, "serve", "--listen", "127.0.0.1:0", "--ui", DIST], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`haul serve did not say where it listens:\n${output}`)), 60_000);
    const read = (data) => {
      output += data;
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ""));
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", (data) => (output += data));
    child.on("exit", (code) => reject(new Error(`haul serve exited with ${code}:\n${output}`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      const kill = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.once("exit", (code) => {
        clearTimeout(kill);
        resolve(code);
      });
      child.kill("SIGTERM");
    });
  return { url, stop, output: () => output };
}

describe("haul serve in a browser", { timeout: 300_000 }, () => {
  let dataDir;
  let downloads;
  let files;
  let serve;
  let chromium;
  let page;
  let problems = [];
  const sample = sampleBytes(FILE_SIZE);

  before(async () => {
    assert.ok(HAUL, "set HAUL_BIN to the haul CLI (e.g. target/debug/haul)");
    assert.ok(PHOTOS, "set HAUL_SERVE_PHOTOS to a folder of JPEG photos");
    dataDir = await mkdtemp(join(tmpdir(), "haul-serve-data-"));
    downloads = await mkdtemp(join(tmpdir(), "haul-serve-downloads-"));
    await writeFile(join(dataDir, "settings.json"), JSON.stringify({ downloadDir: downloads, theme: "light" }));
    await haul(["--data-dir", dataDir, "library", "add", PHOTOS], { timeout: 240_000 });
    await haul(["--data-dir", dataDir, "serve", "--init"], { input: `${PASSWORD}\n` });
    files = await slowFileServer(sample);
    serve = startServe(dataDir);
    chromium = await launchBrowser();
  });

  after(async () => {
    await chromium?.close();
    const code = await serve?.stop();
    await files?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (downloads) await rm(downloads, { recursive: true, force: true });
    assert.equal(code, 0, `haul serve stops cleanly on SIGTERM:\n${serve?.output()}`);
  });

  it("logs in, downloads a file with live progress, and shows the library's thumbnails", async () => {
    const base = await serve.url;
    const context = await chromium.browser.newContext({ viewport: { width: 1120, height: 700 }, deviceScaleFactor: 1, colorScheme: "light" });
    await context.addInitScript({
      content: `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));`,
    });
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));

    // Log in through the login page.
    await page.goto(`${base}/`);
    await page.getByTestId("login-page").waitFor();
    await page.getByTestId("login-password").fill(PASSWORD);
    await screenshot(page, "serve-login");
    await page.keyboard.press("Enter");
    await page.locator(".app").waitFor({ timeout: 15_000 });

    // Add the slow file from Transfers and watch its bar move.
    await page.getByTestId("nav-transfers").click();
    await page.getByTestId("add-input").fill(files.url);
    await page.getByTestId("add-button").click();
    const row = page.locator('[data-testid="download-row"]').filter({ hasText: FILE_NAME });
    await row.waitFor({ timeout: 15_000 });
    const seen = [];
    await eventually(
      async () => {
        const now = Number((await row.getByRole("progressbar").getAttribute("aria-valuenow")) ?? "NaN");
        if (Number.isFinite(now) && now > 0 && now < 100 && now !== seen.at(-1)) seen.push(now);
        assert.ok(seen.length >= 3, `progress values seen so far: ${seen.join(", ")}`);
      },
      { timeout: 60_000, interval: 40 },
    );
    assert.deepEqual([...seen].sort((a, b) => a - b), seen, "progress only goes up");
    await screenshot(page, "serve-progress");

    await eventually(async () => assert.equal(await row.getAttribute("data-state"), "completed"), { timeout: 60_000 });
    await screenshot(page, "serve-completed");
    const onDisk = await readFile(join(downloads, FILE_NAME));
    assert.equal(onDisk.length, sample.length, "the whole file is there");
    assert.ok(onDisk.equals(sample), "byte for byte what was served");

    // The library's thumbnails, from /api/media with the session cookie.
    const photos = (await readdir(PHOTOS)).filter((name) => /^\.jpe?g$/i.test(extname(name))).length;
    assert.ok(photos > 0, `${PHOTOS} holds JPEG photos`);
    await page.getByTestId("nav-library").click();
    const images = page.locator('[data-testid="library-tile"] img');
    await eventually(
      async () => {
        // The grid draws what is in view: every photo when they fit, else every tile shown.
        const { shown, loaded } = await images.evaluateAll((list) => ({
          shown: list.length,
          loaded: list.filter((img) => img.complete && img.naturalWidth > 0).length,
        }));
        assert.ok(shown > 0 && loaded >= Math.min(photos, shown), `${loaded} of ${photos} thumbnails loaded (${shown} shown)`);
      },
      { timeout: 60_000, interval: 250 },
    );
    assert.match((await images.first().getAttribute("src")) ?? "", /^\/api\/media\/thumb\/\d+$/);
    await screenshot(page, "serve-library");

    const violations = await page.evaluate(() => window.__cspViolations);
    await context.close();
    assert.deepEqual([...problems, ...violations.map((v) => `CSP violation: ${v}`)], [], "no page errors or CSP violations");
  });
});
