// End-to-end tests of the UI in a plain browser, over HTTP (no Tauri): the login page
// (Enter, a wrong password, the TOTP step, a lockout), commands with the CSRF token,
// events over SSE, media from /api/media, what the browser does not offer (updates, the
// tray, the clipboard), a session that ends, and logging out. The server is
// fake-server.mjs: the contract of `haul serve` over the fake core.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { startFakeServe } from "./fake-server.mjs";
import { eventually, launchBrowser, screenshot } from "./support.mjs";

const PASSWORD = "correct horse battery staple 42";
const MiB = 1024 * 1024;

let chromium;
let serve;
let opened;

before(async () => {
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
});

afterEach(async () => {
  const current = opened;
  opened = undefined;
  if (current) {
    const violations = await current.page.evaluate(() => window.__cspViolations).catch(() => []);
    await current.context.close();
    await serve?.close();
    assert.deepEqual([...current.problems, ...violations.map((v) => `CSP violation: ${v}`)], [], "no page errors, console errors or CSP violations");
  }
  serve = undefined;
});

/**
 * Opens the server's page in a fresh context. A refusal the test causes (a wrong password,
 * an ended session) is logged by Chromium as a failed resource: those are expected answers.
 */
async function open(options = {}, { colorScheme = "light", viewport = { width: 1120, height: 700 } } = {}) {
  serve = await startFakeServe({ password: PASSWORD, ...options });
  const context = await chromium.browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme, reducedMotion: "reduce" });
  await context.addInitScript({
    content: `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));`,
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (/status of 4\d\d/.test(message.text())) return;
    problems.push(`console error: ${message.text()}`);
  });
  await page.goto(serve.url);
  opened = { context, page, problems };
  return opened;
}

async function logIn(page, password = PASSWORD) {
  await page.getByTestId("login-password").fill(password);
  await page.keyboard.press("Enter");
}

const text = async (locator) => (await locator.textContent())?.replace(/\s+/g, " ").trim();
const focusedTestid = (page) => page.evaluate(() => document.activeElement?.getAttribute("data-testid"));

describe("login", () => {
  it("opens on the login page, focused on the password; a wrong one says so; Enter logs in", async () => {
    const { page } = await open();
    await page.getByTestId("login-page").waitFor();
    assert.equal(await focusedTestid(page), "login-password");
    assert.equal(await page.getByTestId("login-totp").count(), 0);
    assert.equal(await page.getByTestId("login-submit").isDisabled(), true, "nothing to send yet");
    assert.equal(await page.evaluate(() => "__TAURI_INTERNALS__" in window), true, "the HTTP transport stands in for Tauri");
    await screenshot(page, "browser-login");

    await logIn(page, "hunter2");
    const error = page.getByTestId("login-error");
    await error.waitFor();
    assert.equal(await error.getAttribute("data-code"), "NotAuthenticated");
    assert.equal(await text(error), "Wrong password.");
    assert.equal(await focusedTestid(page), "login-password");
    await screenshot(page, "browser-login-wrong");

    await logIn(page);
    await page.locator(".app").waitFor();
    assert.equal(await page.getByTestId("login-page").count(), 0);
    assert.equal(await page.getByTestId("logout").isVisible(), true);
    assert.deepEqual(serve.log().filter((e) => e.login).map((e) => e.login), [{ password: "hunter2" }, { password: PASSWORD }]);
  });

  it("asks for the TOTP code when the password is right, focused, and takes it with Enter", async () => {
    const { page } = await open({ totp: "123456" });
    await logIn(page);
    const code = page.getByTestId("login-totp");
    await code.waitFor();
    await eventually(async () => assert.equal(await focusedTestid(page), "login-totp"));
    assert.equal(await page.getByTestId("login-error").getAttribute("data-code"), "TotpRequired");
    await screenshot(page, "browser-login-totp");

    await code.fill("000000");
    await page.keyboard.press("Enter");
    await eventually(async () => assert.match(await text(page.getByTestId("login-error")), /not right/));
    await code.fill("123456");
    await page.keyboard.press("Enter");
    await page.locator(".app").waitFor();
    assert.deepEqual(serve.log().filter((e) => e.login).at(-1).login, { password: PASSWORD, totp: "123456" });
  });

  it("says how long a lockout lasts and waits for it", async () => {
    const { page } = await open({ lockAfter: 2, lockSeconds: 90 });
    for (const attempt of ["a", "b", "c"]) {
      await logIn(page, attempt);
      await eventually(async () => assert.equal((await text(page.getByTestId("login-error")))?.length > 0, true));
    }
    await eventually(async () => assert.equal(await page.getByTestId("login-error").getAttribute("data-code"), "LockedOut"));
    assert.match(await text(page.getByTestId("login-wait")), /^Try again in 1 minute (30|29|28) seconds\.$/);
    assert.equal(await page.getByTestId("login-submit").isDisabled(), true);
    await screenshot(page, "browser-login-locked");
  });

  it("has the same look in the dark", async () => {
    const { page } = await open({}, { colorScheme: "dark" });
    await page.getByTestId("login-page").waitFor();
    await screenshot(page, "browser-login-dark");
  });
});

describe("the app over HTTP", () => {
  it("sends commands with the CSRF token, follows events over SSE and shows no desktop-only parts", async () => {
    const { page } = await open();
    await logIn(page);
    await page.getByTestId("empty-state").waitFor();

    const url = "https://releases.example.com/ubuntu/ubuntu-24.04.iso";
    await page.getByTestId("add-input").fill(url);
    await page.keyboard.press("Enter");
    const row = page.locator('[data-testid="download-row"][data-id="1"]');
    await row.waitFor();
    assert.deepEqual(serve.log().find((e) => e.cmd === "add_download")?.args, { url, dir: null });
    assert.ok(!serve.log().some((e) => e.cmd === "pending_update"), "no update check in a browser");

    // Progress from the core arrives as an SSE message.
    await eventually(() => assert.equal(serve.openStreams(), 1));
    serve.fake("update", 1, { state: "active", totalBytes: 100 * MiB });
    serve.fake("progress", 1, { receivedBytes: 40 * MiB, bytesPerSecond: 8 * MiB, etaSeconds: 8 });
    serve.fake("emitSnapshot");
    await eventually(async () => assert.equal(await row.getByTestId("progress").getAttribute("aria-valuenow"), "40"));
    await screenshot(page, "browser-transfers");

    // A refusal comes back as the core's message.
    await page.getByTestId("add-input").fill("ftp://example.com/x");
    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal(await page.getByTestId("add-error").getAttribute("data-code"), "InvalidUrl"));

    // Settings: no tray, clipboard, notifications or updates in a browser.
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("settings-save").waitFor();
    for (const testid of ["settings-close-to-tray", "settings-watch-clipboard", "settings-notifications", "check-updates-now"]) {
      assert.equal(await page.getByTestId(testid).count(), 0, `${testid} is desktop-only`);
    }
    assert.equal(await page.getByTestId("settings-theme").count(), 1);
  });

  it("asks for thumbnails at /api/media by id, with the session cookie", async () => {
    const { page } = await open({ core: { library: { generated: 40 } } });
    await logIn(page);
    await page.getByTestId("nav-library").click();
    const images = page.locator('[data-testid="library-tile"] img');
    await eventually(async () => {
      const loaded = await images.evaluateAll((list) => list.filter((img) => img.complete && img.naturalWidth > 0).length);
      assert.ok(loaded >= 10, `${loaded} thumbnails loaded`);
    }, { timeout: 10_000 });
    const src = await images.first().getAttribute("src");
    assert.match(src ?? "", /^\/api\/media\/thumb\/\d+$/);
    await screenshot(page, "browser-library");
  });

  it("goes back to the login page when the session ends, and in again", async () => {
    const { page } = await open();
    await logIn(page);
    await page.getByTestId("empty-state").waitFor();
    await eventually(() => assert.equal(serve.openStreams(), 1));

    serve.expireSessions();
    await page.getByTestId("login-page").waitFor({ timeout: 15_000 });
    assert.match(await text(page.getByTestId("login-notice")), /session has ended/);
    await screenshot(page, "browser-session-ended");

    await logIn(page);
    await page.getByTestId("empty-state").waitFor();
    // A fresh app with a fresh event stream.
    await eventually(() => assert.equal(serve.openStreams(), 1));
    serve.fake("emit", "library-progress-event", { job: "scan", done: 1, total: 4, running: true, paused: false });
    await eventually(async () => assert.equal(await page.getByTestId("status-library").count(), 1));
  });

  it("logs out from the sidebar", async () => {
    const { page } = await open();
    await logIn(page);
    await page.getByTestId("logout").click();
    await page.getByTestId("login-page").waitFor();
    assert.equal(await page.getByTestId("login-notice").count(), 0);
    await page.reload();
    await page.getByTestId("login-page").waitFor();
    assert.equal(await focusedTestid(page), "login-password");
  });
});
