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
    connections: 8,
    sha256: null,
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
  download(8, "firmware-v2.3.1.bin", {
    state: "verifying",
    totalBytes: 256 * MiB,
    receivedBytes: 256 * MiB,
    sha256: "9f2c1e5b7a0d4c8e6b3f1a2d9e8c7b6a5f4e3d2c1b0a99887766554433221100",
  }),
];

const GiB = 1024 * MiB;

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

/** 4 × 25 MiB of a 100 MiB file: two ranges done, one being fetched, one waiting. */
const FOUR_SEGMENTS = [
  { start: 0, end: 25 * MiB, received: 25 * MiB, active: false, bytesPerSecond: 0 },
  { start: 25 * MiB, end: 50 * MiB, received: 25 * MiB, active: false, bytesPerSecond: 0 },
  { start: 50 * MiB, end: 75 * MiB, received: 10 * MiB, active: true, bytesPerSecond: 3 * MiB },
  { start: 75 * MiB, end: 100 * MiB, received: 0, active: false, bytesPerSecond: 0 },
];

const segmentStates = (page) =>
  page
    .getByTestId("segment-map")
    .getByTestId("segment")
    .evaluateAll((elements) => elements.map((e) => e.getAttribute("data-state")));

const order = (page) =>
  page.getByTestId("download-row").evaluateAll((elements) => elements.map((e) => Number(e.getAttribute("data-id"))));

describe("details panel", () => {
  it("shows the segment map, connections and speed graph of the selected active row", async () => {
    const { page, fake } = await open({
      core: {
        downloads: [
          download(11, "Fedora-Workstation-41.iso", { state: "active", totalBytes: 100 * MiB, connections: 4 }),
          MIXED[2],
        ],
      },
    });
    await row(page, 11).waitFor();
    assert.equal(await page.getByTestId("details-panel").count(), 0, "no selection, no panel");

    await fake("progress", 11, { receivedBytes: 60 * MiB, bytesPerSecond: 3 * MiB, etaSeconds: 14, segments: FOUR_SEGMENTS });
    await fake("emitSnapshot");
    await row(page, 11).click();
    const panel = page.getByTestId("details-panel");
    await panel.waitFor();
    assert.equal(await panel.getAttribute("data-id"), "11");

    await eventually(async () => assert.deepEqual(await segmentStates(page), ["done", "done", "active", "pending"]));
    const map = panel.getByTestId("segment-map");
    assert.equal(await map.locator('[data-testid="segment"][data-state="done"]').count(), 2);
    assert.equal(await map.locator('[data-testid="segment"][data-state="active"]').count(), 1);
    assert.equal(await map.locator('[data-testid="segment"][data-state="pending"]').count(), 1);
    // Each range sits where its bytes are: the third starts halfway and is 40% done.
    const third = map.getByTestId("segment").nth(2);
    assert.match((await third.getAttribute("style")) ?? "", /left: 50%; width: 25%/);
    assert.match((await third.locator(".done").getAttribute("style")) ?? "", /width: 40%/);

    assert.equal(await text(panel.getByTestId("details-path")), "/home/user/Downloads/Fedora-Workstation-41.iso");
    assert.equal(await text(panel.getByTestId("details-connections")), "1 open · limit 4");
    const lines = panel.getByTestId("connection-row");
    assert.equal(await lines.count(), 1);
    assert.deepEqual(
      (await lines.first().locator("td").allTextContents()).map((cell) => cell.trim()),
      ["3", "50.0–75.0 MiB", "40%", "3.0 MiB/s"],
    );

    // A few more snapshots draw the speed graph.
    for (const speed of [2, 3.5, 4, 3]) {
      await fake("progress", 11, { receivedBytes: 60 * MiB, bytesPerSecond: speed * MiB, segments: FOUR_SEGMENTS });
      await fake("emitSnapshot");
    }
    const graph = panel.getByTestId("speed-graph");
    await eventually(async () => assert.equal(await graph.getAttribute("data-samples"), "5"));
    assert.match((await graph.locator("path.line").getAttribute("d")) ?? "", /^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){4}$/);
    assert.notEqual((await graph.locator("path.area").getAttribute("d")) ?? "", "");
    assert.equal(await text(panel.getByTestId("speed-graph-max")), "4.0 MiB/s");

    // The third range finishes and a connection takes the last one.
    const next = [
      FOUR_SEGMENTS[0],
      FOUR_SEGMENTS[1],
      { start: 50 * MiB, end: 75 * MiB, received: 25 * MiB, active: false, bytesPerSecond: 0 },
      { start: 75 * MiB, end: 100 * MiB, received: 5 * MiB, active: true, bytesPerSecond: 2.5 * MiB },
    ];
    await fake("progress", 11, { receivedBytes: 80 * MiB, bytesPerSecond: 2.5 * MiB, segments: next });
    await fake("emitSnapshot");
    await eventually(async () => assert.deepEqual(await segmentStates(page), ["done", "done", "done", "active"]));
    assert.deepEqual(
      (await lines.first().locator("td").allTextContents()).map((cell) => cell.trim()),
      ["4", "75.0–100.0 MiB", "20%", "2.5 MiB/s"],
    );

    // Finished: no live figures, a line saying so.
    await fake("update", 11, { state: "completed", receivedBytes: 100 * MiB });
    await fake("emitSnapshot");
    await eventually(async () =>
      assert.equal(await text(panel.getByTestId("details-explanation")), "Finished: 100.0 MiB saved."),
    );
    assert.equal(await panel.getByTestId("segment-map").count(), 0);
    assert.equal(await panel.getByTestId("speed-graph").count(), 0);
    assert.equal(await text(panel.getByTestId("details-connections")), "limit 4");
  });

  it("explains rows that are not downloading, follows the keyboard and collapses", async () => {
    const { page } = await open({ core: { downloads: [MIXED[2], MIXED[5], MIXED[7]] } });
    await row(page, 3).waitFor();
    await page.keyboard.press("ArrowDown");
    const panel = page.getByTestId("details-panel");
    await panel.waitFor();
    assert.equal(await panel.getAttribute("data-id"), "3");
    assert.match(await text(panel.getByTestId("details-explanation")), /^Paused at 33%\. Resume \(Space\)/);
    assert.equal(await text(panel.getByTestId("details-path")), "/home/user/Downloads/debian-12.8.0-amd64-netinst.iso");
    assert.equal(await panel.getByTestId("segment-map").count(), 0);

    await page.keyboard.press("ArrowDown");
    await eventually(async () => assert.equal(await panel.getAttribute("data-id"), "6"));
    const error = panel.getByTestId("details-error");
    assert.equal(await text(error), "Connection reset by peer after 5 retries");
    assert.equal(await error.getAttribute("data-code"), "Network");

    await page.keyboard.press("ArrowDown");
    await eventually(async () => assert.equal(await panel.getAttribute("data-id"), "8"));
    assert.equal(await text(panel.getByTestId("details-state")), "Verifying");
    assert.match(await text(panel.getByTestId("details-explanation")), /expected SHA-256/);
    await screenshot(page, "details-verifying-light");

    // The toggle is a button: Enter and Space fold and unfold the panel.
    const toggle = panel.getByTestId("details-toggle");
    await toggle.focus();
    await page.keyboard.press("Enter");
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    assert.equal(await panel.getByTestId("details-path").count(), 0);
    await screenshot(page, "details-collapsed-light");
    await row(page, 3).click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "false", "stays folded for the next row");
    await toggle.focus();
    await page.keyboard.press("Space");
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    await panel.getByTestId("details-path").waitFor();
  });

  it("keeps the list virtualised and the selection in view with the panel open", async () => {
    const { page } = await open({ core: { generatedHistory: 100_000 } });
    await page.getByTestId("download-row").first().waitFor({ timeout: 15_000 });
    await page.keyboard.press("End");
    const last = row(page, 100_000 + 99_999);
    await last.waitFor();
    await page.getByTestId("details-panel").waitFor();
    await eventually(async () => {
      const rowBox = await last.boundingBox();
      const panelBox = await page.getByTestId("details-panel").boundingBox();
      assert.ok(rowBox && panelBox && rowBox.y + rowBox.height <= panelBox.y + 1, "the row is above the panel");
    });
    assert.ok((await page.getByTestId("download-row").count()) < 80);
  });

  for (const scheme of ["light", "dark"]) {
    it(`draws minutes of speed history (${scheme})`, async () => {
      const { page } = await open({
        clock: true,
        colorScheme: scheme,
        core: { downloads: MIXED, settings: { theme: "system" } },
      });
      await row(page, 1).waitFor();
      await row(page, 1).click();
      await seedLiveHistory(page);
      const panel = page.getByTestId("details-panel");
      await eventually(async () => assert.equal(await panel.getByTestId("connection-row").count(), 5));
      assert.deepEqual(
        (await segmentStates(page)).reduce((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {}),
        { done: 4, active: 5, pending: 1 },
      );
      assert.equal(await text(panel.getByTestId("details-connections")), "5 open · limit 8");
      assert.equal(await text(panel.getByTestId("speed-graph-max")), "50.0 MiB/s");
      const d = (await panel.getByTestId("speed-graph").locator("path.line").getAttribute("d")) ?? "";
      const xs = [...d.matchAll(/[ML]([\d.]+) /g)].map((m) => Number(m[1]));
      assert.ok(xs[0] < 10 && xs.at(-1) === 300, `the history spans the whole width (${xs[0]}..${xs.at(-1)})`);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), scheme);
      await screenshot(page, `details-${scheme}`);
    });
  }
});

/**
 * Feeds the selected ubuntu row (id 1, 5.8 GiB) ~5 minutes of snapshots, moving the
 * page's fake clock 1.25 s each time, and ends on 10 ranges fetched by 5 connections.
 */
async function seedLiveHistory(page) {
  const total = Math.round(5.8 * GiB);
  const at = (f) => Math.round(total * f);
  const range = (from, to, done, speed = 0) => ({
    start: at(from),
    end: at(to),
    received: Math.round((at(to) - at(from)) * done),
    active: speed > 0,
    bytesPerSecond: Math.round(speed * MiB),
  });
  const segments = [
    range(0, 1 / 8, 1),
    range(1 / 8, 2 / 8, 1),
    range(2 / 8, 3 / 8, 0.72, 9.8),
    range(3 / 8, 4 / 8, 1),
    range(4 / 8, 5 / 8, 0.41, 11.2),
    range(5 / 8, 11 / 16, 0.88, 8.6),
    range(11 / 16, 6 / 8, 1),
    range(6 / 8, 7 / 8, 0.23, 10.4),
    range(7 / 8, 15 / 16, 0.55, 8.2),
    range(15 / 16, 1, 0),
  ];
  const received = segments.reduce((sum, s) => sum + s.received, 0);
  const start = Date.parse("2025-03-01T10:00:00Z");
  const steps = 240;
  for (let i = 0; i <= steps; i++) {
    await page.clock.setSystemTime(start + i * 1250);
    // A ramp-up, then a wobbling plateau around 45 MiB/s with one dip.
    const ramp = Math.min(1, i / 12);
    const dip = Math.max(0, Math.min(1, (i - 148) / 4, (174 - i) / 4));
    const wobble = 4 * Math.sin(i / 7) + 2.5 * Math.sin(i / 2.3) - 18 * dip;
    const speed = i === steps ? 48.2 : Math.max(0, ramp * (44 + wobble));
    await page.evaluate(
      ([figures]) => {
        window.__haulFake.progress(1, figures);
        window.__haulFake.emitSnapshot();
      },
      [{ receivedBytes: received, bytesPerSecond: speed * MiB, etaSeconds: 44, segments, connections: 5 }],
    );
  }
}

describe("queue", () => {
  it("pauses and resumes everything", async () => {
    const { page, fake } = await open({ core: { downloads: MIXED.slice(0, 5) } });
    await row(page, 5).waitFor();
    assert.equal(await page.getByTestId("resume-all").isDisabled(), false);
    const lists = (await fake("calls", "list_downloads")).length;

    await page.getByTestId("pause-all").click();
    await eventually(async () => assert.equal(await row(page, 1).getAttribute("data-state"), "paused"));
    assert.deepEqual(await fake("calls", "pause_all"), [{ cmd: "pause_all", args: {} }]);
    for (const id of [2, 3, 4]) assert.equal(await row(page, id).getAttribute("data-state"), "paused");
    assert.equal(await row(page, 5).getAttribute("data-state"), "completed");
    assert.ok((await fake("calls", "list_downloads")).length > lists, "refetched");
    await eventually(async () => assert.equal(await page.getByTestId("pause-all").isDisabled(), true));

    await page.getByTestId("resume-all").click();
    await eventually(async () => assert.equal(await row(page, 1).getAttribute("data-state"), "queued"));
    assert.deepEqual(await fake("calls", "resume_all"), [{ cmd: "resume_all", args: {} }]);
    for (const id of [2, 3, 4]) assert.equal(await row(page, id).getAttribute("data-state"), "queued");
    await eventually(async () => assert.equal(await page.getByTestId("resume-all").isDisabled(), true));
  });

  it("moves queued and paused rows with the buttons and with Alt+arrows", async () => {
    const { page, fake } = await open({
      core: {
        downloads: [
          download(1, "running.iso", { state: "active", receivedBytes: 100 * MiB }),
          download(2, "second.iso"),
          download(3, "third.iso"),
          download(4, "fourth.iso", { state: "paused" }),
          download(5, "done.iso", { state: "completed", receivedBytes: 700 * MiB }),
        ],
      },
    });
    await row(page, 5).waitFor();
    assert.deepEqual(await order(page), [1, 2, 3, 4, 5]);
    assert.equal(await row(page, 1).getByTestId("move-up").count(), 0, "an active row does not move");
    assert.equal(await row(page, 5).getByTestId("move-up").count(), 0, "a finished row does not move");
    assert.equal(await row(page, 4).getByTestId("move-down").isDisabled(), true, "the end of the queue");
    await screenshot(page, "queue-light");

    await row(page, 3).getByTestId("move-up").click();
    await eventually(async () => assert.deepEqual(await order(page), [1, 3, 2, 4, 5]));
    assert.deepEqual(await fake("calls", "move_download"), [
      { cmd: "move_download", args: { id: 3, direction: "up" } },
    ]);

    await row(page, 2).getByTestId("move-down").click();
    await eventually(async () => assert.deepEqual(await order(page), [1, 3, 4, 2, 5]));
    assert.deepEqual((await fake("calls", "move_download")).at(-1), {
      cmd: "move_download",
      args: { id: 2, direction: "down" },
    });

    await row(page, 4).click();
    await page.keyboard.press("Alt+ArrowUp");
    await eventually(async () => assert.deepEqual(await order(page), [1, 4, 3, 2, 5]));
    assert.deepEqual((await fake("calls", "move_download")).at(-1), {
      cmd: "move_download",
      args: { id: 4, direction: "up" },
    });
    await page.keyboard.press("Alt+ArrowDown");
    await eventually(async () => assert.deepEqual(await order(page), [1, 3, 4, 2, 5]));
    assert.deepEqual((await fake("calls", "move_download")).at(-1), {
      cmd: "move_download",
      args: { id: 4, direction: "down" },
    });
    assert.equal(await row(page, 4).getAttribute("aria-selected"), "true", "the moved row stays selected");

    const moves = (await fake("calls", "move_download")).length;
    await row(page, 1).click();
    await page.keyboard.press("Alt+ArrowUp");
    await page.keyboard.press("Alt+ArrowDown");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await fake("calls", "move_download")).length, moves, "an active row does not move");
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
      settings: {
        downloadDir: "/home/user/Downloads",
        maxActiveDownloads: 0,
        connectionsPerDownload: 8,
        speedLimit: 0,
        theme: "light",
      },
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
      settings: {
        downloadDir: "/data/downloads",
        maxActiveDownloads: 4,
        connectionsPerDownload: 8,
        speedLimit: 0,
        theme: "dark",
      },
    });
    await screenshot(page, "settings-saved-dark");

    await page.getByTestId("nav-transfers").click();
    await page.getByTestId("empty-state").waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark", "the saved theme stays");
  });

  it("sends connections per download and the speed limit in bytes per second", async () => {
    const { page, fake } = await open({
      core: { settings: { downloadDir: "/d", maxActiveDownloads: 3, connectionsPerDownload: 8, speedLimit: 524_288 } },
    });
    await page.getByTestId("nav-settings").click();
    const connections = page.getByTestId("settings-connections");
    const limit = page.getByTestId("settings-speed-limit");
    const unit = page.getByTestId("settings-speed-unit");
    await connections.waitFor();
    assert.equal(await connections.inputValue(), "8");
    assert.equal(await limit.inputValue(), "512", "512 KiB/s from 524288 bytes per second");
    assert.equal(await unit.inputValue(), "KiB");

    const message = page.getByTestId("settings-message");
    await connections.fill("0");
    await page.getByTestId("settings-save").click();
    await eventually(async () =>
      assert.equal(await text(message), "connectionsPerDownload must be between 1 and 16 (got 0)."),
    );
    assert.equal(await connections.getAttribute("aria-invalid"), "true", "the named field is marked");
    assert.equal(await limit.getAttribute("aria-invalid"), null);

    await connections.fill("6");
    await limit.fill("2");
    await unit.selectOption("MiB");
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.equal(await text(message), "Saved"));
    const saved = (await fake("calls", "update_settings")).at(-1).args.settings;
    assert.equal(saved.connectionsPerDownload, 6);
    assert.equal(saved.speedLimit, 2_097_152, "2 MiB/s in bytes per second");
    assert.equal(await connections.getAttribute("aria-invalid"), null);
    await screenshot(page, "settings-speed-light");

    const calls = (await fake("calls", "update_settings")).length;
    await limit.fill("-3");
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.match(await text(message), /^speedLimit must be 0/));
    assert.equal(await limit.getAttribute("aria-invalid"), "true");
    assert.equal((await fake("calls", "update_settings")).length, calls, "refused before the core");

    await limit.fill("");
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.equal(await text(message), "Saved"));
    assert.equal((await fake("calls", "update_settings")).at(-1).args.settings.speedLimit, 0, "empty is unlimited");
    assert.equal(await limit.inputValue(), "");
    assert.equal(await limit.getAttribute("placeholder"), "Unlimited");
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
    assert.match(await text(page.getByTestId("status-bar")), /2 active · 1 queued · 1 paused · 1 verifying/);
    const verifying = row(page, 8);
    assert.equal(await verifying.getAttribute("data-state"), "verifying");
    assert.equal(await text(verifying.getByTestId("download-state")), "Verifying");
    assert.equal(await verifying.getByTestId("progress").getAttribute("data-state"), "verifying");
    assert.equal(await verifying.getByTestId("progress").getAttribute("aria-valuetext"), "Verifying the checksum");
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
