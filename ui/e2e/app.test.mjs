// End-to-end tests of the built UI (dist/) in Debian's Chromium, with the Tauri IPC
// replaced by an in-page fake core (fake-core.js). Run `npm run build` first.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { eventually, launchBrowser, openApp, screenshot, serveDist } from "./support.mjs";

const MiB = 1024 * 1024;

/** A download as the core's list_downloads returns it. */
function download(id, fileName, patch = {}) {
  return {
    id,
    url: `https://downloads.example.com/${fileName}`,
    fileName,
    dir: "/home/user/Downloads",
    totalBytes: 700 * MiB,
    receivedBytes: 0,
    state: "queued",
    error: null,
    createdAt: 1_700_000_000_000 + id,
    ...patch,
  };
}

const MIXED = [
  download(1, "ubuntu-24.04.2-desktop-amd64.iso", {
    state: "active",
    totalBytes: 5.8 * 1024 * MiB,
    receivedBytes: 3.7 * 1024 * MiB,
  }),
  download(2, "Big.Buck.Bunny.2008.1080p.mkv", { state: "active", totalBytes: 928 * MiB, receivedBytes: 301 * MiB }),
  download(3, "debian-12.8.0-amd64-netinst.iso", { state: "paused", totalBytes: 631 * MiB, receivedBytes: 212 * MiB }),
  download(4, "archlinux-2025.01.01-x86_64.iso", { state: "queued", totalBytes: 1.2 * 1024 * MiB }),
  download(5, "podcast-episode-142.mp3", { state: "completed", totalBytes: 48 * MiB, receivedBytes: 48 * MiB }),
  download(6, "dataset-2024.tar.zst", {
    state: "failed",
    totalBytes: 12.4 * 1024 * MiB,
    receivedBytes: 2.1 * 1024 * MiB,
    error: { code: "Network", message: "Connection reset by peer after 5 retries" },
  }),
  download(7, "old-installer.exe", { state: "cancelled", totalBytes: 88 * MiB, receivedBytes: 20 * MiB }),
];

let server;
let chromium;
let app;

before(async () => {
  server = await serveDist();
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await server?.close();
});

async function open(options) {
  app = await openApp(chromium.browser, server.url, options);
  return app;
}

afterEach(async () => {
  if (!app) return;
  const current = app;
  app = undefined;
  await current.close();
  assert.deepEqual(current.problems, [], "no page errors, console errors or CSP violations");
});

const row = (page, id) => page.locator(`[data-testid="download-row"][data-id="${id}"]`);
const text = async (locator) => (await locator.textContent())?.trim();

describe("transfers", () => {
  it("starts with the empty state and a zeroed status bar", async () => {
    const { page } = await open();
    await page.getByTestId("empty-state").waitFor();
    assert.match(await text(page.getByTestId("empty-state")), /Paste a link above to start a download/);
    assert.equal(await page.getByTestId("download-row").count(), 0);
    assert.match(await text(page.getByTestId("status-bar")), /0 active · 0 queued · 0 paused/);
    assert.equal(await page.getByTestId("add-button").isDisabled(), true, "Add waits for input");
    await screenshot(page, "empty-light");
  });

  it("adds a link, follows progress snapshots and reaches completed", async () => {
    const { page, fake } = await open();
    await page.getByTestId("empty-state").waitFor();

    const url = "https://releases.example.com/ubuntu/ubuntu-24.04.iso";
    await page.getByTestId("add-input").fill(url);
    assert.equal(await text(page.getByTestId("add-hint")), "HTTP link", "says what it recognised");
    await page.getByTestId("add-button").click();

    const added = row(page, 1);
    await added.waitFor();
    assert.equal(await text(added.getByTestId("download-name")), "ubuntu-24.04.iso");
    assert.equal(await added.getAttribute("data-state"), "queued");
    assert.equal(await page.getByTestId("empty-state").count(), 0);
    assert.equal(await page.getByTestId("add-input").inputValue(), "", "the field clears after adding");
    assert.deepEqual(await fake("calls", "add_download"), [{ cmd: "add_download", args: { url, dir: null } }]);
    await eventually(async () => assert.ok((await fake("calls", "list_downloads")).length >= 2, "refetched"));

    // The core starts it: a state change bumps the revision, the snapshot carries it.
    await fake("update", 1, { state: "active", totalBytes: 100 * MiB });
    await fake("progress", 1, { receivedBytes: 0, bytesPerSecond: 0, etaSeconds: null });
    await fake("emitSnapshot");
    await eventually(async () => assert.equal(await added.getAttribute("data-state"), "active"));
    assert.equal(await added.getByTestId("progress").getAttribute("data-percent"), "0");
    assert.equal(await text(added.getByTestId("download-size")), "100.0 MiB");
    const listsBefore = (await fake("calls", "list_downloads")).length;

    // Progress only: same revision, so the figures move without a refetch.
    await fake("progress", 1, { receivedBytes: 50 * MiB, bytesPerSecond: 12.3 * MiB, etaSeconds: 4 });
    await fake("emitSnapshot");
    await eventually(async () =>
      assert.equal(await added.getByTestId("progress").getAttribute("data-percent"), "50"),
    );
    assert.equal(await text(added.getByTestId("download-percent")), "50%");
    assert.equal(await text(added.getByTestId("download-speed")), "12.3 MiB/s");
    assert.equal(await text(added.getByTestId("download-eta")), "0:00:04");
    assert.equal(await text(added.getByTestId("download-state")), "Downloading");
    assert.match(await text(page.getByTestId("status-bar")), /12\.3 MiB\/s\s+1 active · 0 queued · 0 paused/);
    assert.equal((await fake("calls", "list_downloads")).length, listsBefore, "no refetch without a revision bump");

    // It finishes: it leaves the snapshot and the revision moves on.
    await fake("update", 1, { state: "completed", receivedBytes: 100 * MiB });
    await fake("emitSnapshot");
    await eventually(async () => assert.equal(await added.getAttribute("data-state"), "completed"));
    assert.equal(await added.getByTestId("progress").getAttribute("data-percent"), "100");
    assert.equal(await text(added.getByTestId("download-state")), "Completed");
    assert.equal(await text(added.getByTestId("download-speed")), "");
    assert.match(await text(page.getByTestId("status-bar")), /0 active · 0 queued · 0 paused/);
  });

  it("shows the core's message when it refuses a link", async () => {
    const { page, fake } = await open();
    const input = page.getByTestId("add-input");
    await input.fill("definitely not a link");
    assert.equal(await text(page.getByTestId("add-hint")), "not a link");
    await input.press("Enter");

    const error = page.getByTestId("add-error");
    await error.waitFor();
    assert.equal(await text(error), '"definitely not a link" is not an http or https URL.');
    assert.equal(await error.getAttribute("data-code"), "InvalidUrl");
    assert.equal(await input.getAttribute("aria-invalid"), "true");
    assert.equal(await input.inputValue(), "definitely not a link", "the text stays to be fixed");
    assert.equal((await fake("calls", "add_download")).length, 1);
    assert.equal(await page.getByTestId("download-row").count(), 0);
    await screenshot(page, "add-error-light");

    await input.fill("https://example.com/ok.zip");
    assert.equal(await error.count(), 0, "editing clears the error");
  });

  it("pauses and resumes the row that was clicked", async () => {
    const { page, fake } = await open({ core: { downloads: MIXED.slice(0, 2) } });
    const second = row(page, 2);
    await second.waitFor();

    await second.getByTestId("pause-button").click();
    await eventually(async () => assert.equal(await second.getAttribute("data-state"), "paused"));
    assert.deepEqual(await fake("calls", "pause_download"), [{ cmd: "pause_download", args: { id: 2 } }]);
    assert.equal(await row(page, 1).getAttribute("data-state"), "active", "the other row is untouched");
    assert.equal(await second.getByTestId("pause-button").count(), 0);

    await second.getByTestId("resume-button").click();
    await eventually(async () => assert.equal(await second.getAttribute("data-state"), "queued"));
    assert.deepEqual(await fake("calls", "resume_download"), [{ cmd: "resume_download", args: { id: 2 } }]);
  });

  it("cancels a row and shows a refused action's message", async () => {
    const { page, fake } = await open({ core: { downloads: MIXED.slice(0, 2) } });
    const first = row(page, 1);
    await first.waitFor();
    // The core finishes it behind the UI's back; the click still shows the old state.
    await fake("update", 1, { state: "completed" });
    await first.getByTestId("cancel-button").click();
    const notice = page.getByTestId("action-error");
    await notice.waitFor();
    assert.equal(await text(notice), "Cannot cancel a download that is completed.");
    await eventually(async () => assert.equal(await first.getAttribute("data-state"), "completed"));

    await row(page, 2).getByTestId("cancel-button").click();
    await eventually(async () => assert.equal(await row(page, 2).getAttribute("data-state"), "cancelled"));
    assert.deepEqual((await fake("calls", "cancel_download")).at(-1), { cmd: "cancel_download", args: { id: 2 } });
    assert.equal(await notice.count(), 0, "a successful action clears the notice");
  });

  it("shows a failed row's error inline and retries it", async () => {
    const { page, fake } = await open({ core: { downloads: [MIXED[5]] } });
    const failed = row(page, 6);
    await failed.waitFor();
    assert.equal(await failed.getAttribute("data-state"), "failed");
    assert.equal(await text(failed.getByTestId("download-error")), "Connection reset by peer after 5 retries");
    assert.equal(await text(failed.getByTestId("download-state")), "Failed");

    await failed.getByTestId("retry-button").click();
    await eventually(async () => assert.equal(await failed.getAttribute("data-state"), "queued"));
    assert.deepEqual(await fake("calls", "resume_download"), [{ cmd: "resume_download", args: { id: 6 } }]);
    assert.equal(await failed.getByTestId("download-error").count(), 0);
  });

  it("asks before removing, and removes with or without the file", async () => {
    const { page, fake } = await open({ core: { downloads: MIXED } });
    await row(page, 5).waitFor();

    await row(page, 5).getByTestId("remove-button").click();
    const dialog = page.getByTestId("remove-dialog");
    await dialog.waitFor();
    assert.match(await text(dialog), /Remove “podcast-episode-142\.mp3”\?/);
    await screenshot(page, "remove-dialog-light");
    await page.getByTestId("confirm-cancel").click();
    await dialog.waitFor({ state: "hidden" });
    assert.equal((await fake("calls", "remove_download")).length, 0, "Cancel removes nothing");

    await row(page, 5).getByTestId("remove-button").click();
    await page.getByTestId("confirm-remove-delete").click();
    await row(page, 5).waitFor({ state: "detached" });
    assert.deepEqual(await fake("calls", "remove_download"), [
      { cmd: "remove_download", args: { id: 5, deleteFile: true } },
    ]);

    await row(page, 7).getByTestId("remove-button").click();
    await page.getByTestId("confirm-remove").click();
    await row(page, 7).waitFor({ state: "detached" });
    assert.deepEqual((await fake("calls", "remove_download")).at(-1), {
      cmd: "remove_download",
      args: { id: 7, deleteFile: false },
    });
  });

  it("moves the selection with arrows, pauses with Space and removes with Delete", async () => {
    const { page, fake } = await open({ core: { downloads: MIXED.slice(0, 4) } });
    await row(page, 1).waitFor();

    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await eventually(async () => assert.equal(await row(page, 2).getAttribute("aria-selected"), "true"));
    assert.equal(await row(page, 1).getAttribute("aria-selected"), "false");

    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await row(page, 2).getAttribute("data-state"), "paused"));
    assert.deepEqual(await fake("calls", "pause_download"), [{ cmd: "pause_download", args: { id: 2 } }]);
    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await row(page, 2).getAttribute("data-state"), "queued"));

    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Delete");
    await page.getByTestId("remove-dialog").waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("remove-dialog").waitFor({ state: "hidden" });
    assert.equal((await fake("calls", "remove_download")).length, 0, "Escape keeps the row");

    await page.keyboard.press("Delete");
    await page.getByTestId("confirm-remove").click();
    await row(page, 3).waitFor({ state: "detached" });
    assert.deepEqual(await fake("calls", "remove_download"), [
      { cmd: "remove_download", args: { id: 3, deleteFile: false } },
    ]);
  });

  it("filters rows by name after Ctrl+F", async () => {
    const { page } = await open({ core: { downloads: MIXED } });
    await row(page, 1).waitFor();
    await page.keyboard.press("Control+f");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "filter-input");
    await page.keyboard.type(".ISO");
    await eventually(async () => assert.equal(await page.getByTestId("download-row").count(), 3));
    const names = await page.getByTestId("download-name").allTextContents();
    assert.ok(names.every((n) => n.toLowerCase().includes(".iso")), names.join(", "));

    await page.keyboard.type("zzz");
    await page.getByTestId("filter-empty").waitFor();
    await page.keyboard.press("Escape");
    await eventually(async () => assert.equal(await page.getByTestId("download-row").count(), MIXED.length));
  });

  it("pastes into the add field when Ctrl+V lands outside any field", async () => {
    const { page } = await open();
    await page.getByTestId("empty-state").waitFor();
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData("text/plain", "  magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567 ");
      document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
    });
    const input = page.getByTestId("add-input");
    await eventually(async () =>
      assert.equal(await input.inputValue(), "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"),
    );
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "add-input");
    assert.equal(await text(page.getByTestId("add-hint")), "Magnet link");
  });

  it("keeps a 100k-row history virtualised", async () => {
    const { page } = await open({ core: { generatedHistory: 100_000 } });
    await page.getByTestId("download-row").first().waitFor({ timeout: 15_000 });
    const rendered = await page.getByTestId("download-row").count();
    assert.ok(rendered < 80, `only the rows in view are in the DOM (got ${rendered})`);
    assert.equal(await page.getByRole("grid").getAttribute("aria-rowcount"), "100001");

    await page.keyboard.press("End");
    const last = row(page, 100_000 + 99_999);
    await last.waitFor();
    assert.equal(await last.getAttribute("aria-selected"), "true");
    assert.equal(await last.isVisible(), true);
    assert.ok((await page.getByTestId("download-row").count()) < 80);
  });
});

describe("settings", () => {
  it("shows the core's message for a bad value, then saves and applies the theme", async () => {
    const { page, fake } = await open({
      core: { settings: { downloadDir: "/home/user/Downloads", maxActiveDownloads: 3, theme: "light" } },
    });
    await page.getByTestId("nav-settings").click();
    assert.equal(await page.getByTestId("nav-settings").getAttribute("aria-current"), "page");
    const dir = page.getByTestId("settings-download-dir");
    const max = page.getByTestId("settings-max-active");
    await dir.waitFor();
    assert.equal(await dir.inputValue(), "/home/user/Downloads");
    assert.equal(await max.inputValue(), "3");
    assert.equal(await page.getByTestId("settings-theme").inputValue(), "light");

    await max.fill("0");
    await page.getByTestId("settings-save").click();
    const message = page.getByTestId("settings-message");
    await eventually(async () =>
      assert.equal(await text(message), "maxActiveDownloads must be between 1 and 16 (got 0)."),
    );
    assert.equal(await max.getAttribute("aria-invalid"), "true", "the named field is marked");
    assert.deepEqual((await fake("calls", "update_settings"))[0].args, {
      settings: { downloadDir: "/home/user/Downloads", maxActiveDownloads: 0, theme: "light" },
    });
    await screenshot(page, "settings-error-light");

    await dir.fill("relative/path");
    await max.fill("4");
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.match(await text(message), /^downloadDir must be an absolute path/));
    assert.equal(await dir.getAttribute("aria-invalid"), "true");

    await dir.fill("/data/downloads");
    await page.getByTestId("settings-theme").selectOption("dark");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark", "previews at once");
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.equal(await text(message), "Saved"));
    assert.deepEqual((await fake("calls", "update_settings")).at(-1).args, {
      settings: { downloadDir: "/data/downloads", maxActiveDownloads: 4, theme: "dark" },
    });
    await screenshot(page, "settings-saved-dark");

    await page.getByTestId("nav-transfers").click();
    await page.getByTestId("empty-state").waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark", "the saved theme stays");
  });

  it("drops an unsaved theme preview when leaving settings", async () => {
    const { page } = await open({ core: { settings: { downloadDir: "/d", maxActiveDownloads: 2, theme: "light" } } });
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("settings-theme").selectOption("dark");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    await page.getByTestId("nav-transfers").click();
    await eventually(async () =>
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light"),
    );
  });
});

describe("themes", () => {
  it("renders the full list in light", async () => {
    const { page } = await open({ core: { downloads: MIXED, settings: { downloadDir: "/d", maxActiveDownloads: 3, theme: "light" } } });
    await row(page, 7).waitFor();
    await row(page, 2).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
    assert.match(await text(page.getByTestId("status-bar")), /2 active · 1 queued · 1 paused/);
    await screenshot(page, "transfers-light");
  });

  it("follows the OS to dark when the theme is System", async () => {
    const { page, fake } = await open({
      colorScheme: "dark",
      core: { downloads: MIXED, settings: { downloadDir: "/d", maxActiveDownloads: 3, theme: "system" } },
    });
    await row(page, 7).waitFor();
    await eventually(async () =>
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark"),
    );
    await fake("progress", 1, { receivedBytes: 3.7 * 1024 * MiB, bytesPerSecond: 48.2 * MiB, etaSeconds: 44 });
    await fake("progress", 2, { receivedBytes: 301 * MiB, bytesPerSecond: 6.4 * MiB, etaSeconds: 98 });
    await fake("emitSnapshot");
    await eventually(async () => assert.equal(await text(row(page, 1).getByTestId("download-speed")), "48.2 MiB/s"));
    await row(page, 3).click();
    await screenshot(page, "transfers-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await eventually(async () =>
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light"),
    );
  });
});
