// End-to-end tests of the built UI (dist/) in Debian's Chromium, with the Tauri IPC
// replaced by an in-page fake core (fake-core.js). Run `npm run build` first.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, screenshot, useBuiltUi } from "./support.mjs";

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

/** The Debrid settings fake-core.js starts with. */
const DEFAULT_DEBRID = {
  provider: "alldebrid",
  alldebridUrl: "https://api.alldebrid.com",
  realdebridUrl: "https://api.real-debrid.com/rest",
  torboxUrl: "https://api.torbox.app",
  rules: { include: [], exclude: ["*sample*"], minSize: 0, extensions: [], keepSubtitles: true },
};

/** The Desktop and Updates settings fake-core.js starts with. */
const DEFAULT_DESKTOP = { closeToTray: false, watchClipboard: false, startAtLogin: false };
const DEFAULT_UPDATES = { endpoint: "https://updates.haul.example/latest.json", checkOnStart: true };
const DEFAULT_LIBRARY = { threads: 0, binRetentionDays: 30 };
const DEFAULT_FACES = { threads: 0, minFaces: 2, detectorSide: 640, modelsUrl: null };

const { open } = useBuiltUi();

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
        notifications: true,
        debrid: DEFAULT_DEBRID,
        desktop: DEFAULT_DESKTOP,
        updates: DEFAULT_UPDATES,
        library: DEFAULT_LIBRARY,
        faces: DEFAULT_FACES,
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
        notifications: true,
        debrid: DEFAULT_DEBRID,
        desktop: DEFAULT_DESKTOP,
        updates: DEFAULT_UPDATES,
        library: DEFAULT_LIBRARY,
        faces: DEFAULT_FACES,
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

  it("saves the Library section and shows the core's refusal under its field", async () => {
    const { page, fake } = await open({ viewport: { width: 1120, height: 900 } });
    await page.getByTestId("nav-settings").click();
    const threads = page.getByTestId("settings-library-threads");
    const days = page.getByTestId("settings-bin-retention");
    await threads.waitFor();
    assert.equal(await threads.inputValue(), "0");
    assert.equal(await days.inputValue(), "30");
    assert.equal(
      await text(page.locator("#settings-library-threads-help")),
      "0 uses half the processor's cores. Takes effect at the next start.",
    );
    const labelled = async (label) => page.getByLabel(label).getAttribute("data-testid");
    assert.equal(await labelled("Threads for hashing and thumbnails"), "settings-library-threads");
    assert.equal(await labelled("Keep removed files in the recycle bin for"), "settings-bin-retention");

    // Out of range: the core refuses, naming the field; the message goes under it.
    const message = page.getByTestId("settings-message");
    const fieldError = page.getByTestId("settings-field-error");
    const retentionRefusal = "Days in the recycle bin (library.binRetentionDays) must be between 1 and 3650, not 0.";
    await days.fill("0");
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.equal(await text(message), retentionRefusal));
    assert.equal(await fieldError.getAttribute("data-field"), "library.binRetentionDays");
    assert.equal(await text(fieldError), retentionRefusal);
    assert.equal(await days.getAttribute("aria-invalid"), "true");
    assert.equal(await threads.getAttribute("aria-invalid"), null);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "settings-bin-retention");
    await days.scrollIntoViewIfNeeded();
    await screenshot(page, "settings-library-error-light");

    // What the core could not even read is refused here, in the same words as the other numbers.
    const calls = (await fake("calls", "update_settings")).length;
    await days.fill("7.5");
    await page.getByTestId("settings-save").click();
    await eventually(async () =>
      assert.equal(await text(message), "library.binRetentionDays must be a whole number from 1 to 3650."),
    );
    assert.equal(await fieldError.getAttribute("data-field"), "library.binRetentionDays");
    assert.equal((await fake("calls", "update_settings")).length, calls, "refused before the core");

    await threads.fill("65");
    await days.fill("90");
    await page.getByTestId("settings-save").click();
    await eventually(async () =>
      assert.equal(
        await text(message),
        "Library threads (library.threads) must be between 0 (half the cores) and 64, not 65.",
      ),
    );
    assert.equal(await fieldError.getAttribute("data-field"), "library.threads");
    assert.equal(await threads.getAttribute("aria-invalid"), "true");
    assert.equal(await days.getAttribute("aria-invalid"), null);

    await threads.fill("8");
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.equal(await text(message), "Saved"));
    const saved = (await fake("calls", "update_settings")).at(-1).args.settings;
    assert.deepEqual(saved.library, { threads: 8, binRetentionDays: 90 });
    assert.equal(saved.downloadDir, "/home/user/Downloads", "the other settings go along unchanged");
    assert.deepEqual(saved.debrid, DEFAULT_DEBRID);
    assert.equal(await fieldError.count(), 0);
    await page.getByTestId("settings-library-threads").evaluate((input) => input.scrollIntoView({ block: "center" }));
    await screenshot(page, "settings-library-saved-light");

    // The page shows what the core kept when it is opened again.
    await page.getByTestId("nav-transfers").click();
    await page.getByTestId("empty-state").waitFor();
    await page.getByTestId("nav-settings").click();
    await eventually(async () => assert.equal(await page.getByTestId("settings-bin-retention").inputValue(), "90"));
    assert.equal(await page.getByTestId("settings-library-threads").inputValue(), "8");
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

// ---- debrid tasks and accounts ---------------------------------------------------------

const MAGNET =
  "magnet:?xt=urn:btih:5a9f1c0e2b7d4e8f9a6b3c2d1e0f9a8b7c6d5e4f&dn=Show.S01.1080p.WEB&tr=udp%3A%2F%2Ftracker.example%3A1337";

/** A task as the core's list_tasks returns it (fake-core.js fills in the rest). */
function task(id, name, patch = {}) {
  return { id, name, infoHash: `${id}`.padStart(40, "0"), createdAt: 1_700_000_000_000 + id, ...patch };
}

/** A task file with its download (ids of task file downloads share the downloads' space). */
function taskFile(path, size, download = null, selected = true) {
  return { path, size, selected, download };
}

const taskRow = (page, id) => page.locator(`[data-testid="task-row"][data-id="${id}"]`);
const fileRow = (page, taskId, index) =>
  page.locator(`[data-testid="task-file-row"][data-task="${taskId}"][data-index="${index}"]`);

const SEASON_FILES = [
  taskFile("Show.S01.1080p.WEB/Show.S01E01.1080p.mkv", 1.4 * GiB),
  taskFile("Show.S01.1080p.WEB/Show.S01E02.1080p.mkv", 1.3 * GiB),
  taskFile("Show.S01.1080p.WEB/Sample/show.sample.mkv", 148 * MiB),
].map((f) => ({ ...f, selected: false }));

describe("debrid tasks", () => {
  it("adds a magnet with “let me choose”, then chooses two of three files", async () => {
    const { page, fake } = await open({
      core: { settings: { downloadDir: "/home/user/Downloads", debrid: { provider: "realdebrid" } } },
    });
    await page.getByTestId("empty-state").waitFor();
    await page.getByTestId("add-input").fill(MAGNET);
    assert.equal(await text(page.getByTestId("add-hint")), "Magnet link");
    await page.getByTestId("add-button").click();

    const dialog = page.getByTestId("add-dialog");
    await dialog.waitFor();
    assert.equal(await text(page.getByTestId("add-dialog-name")), "Show.S01.1080p.WEB");
    assert.equal(await page.getByTestId("add-dialog-provider").inputValue(), "realdebrid", "the default provider");
    assert.equal(await page.getByTestId("add-dialog-dir").inputValue(), "/home/user/Downloads");
    assert.equal(await page.getByTestId("add-dialog-mode-auto").isChecked(), true, "the rules by default");
    await page.getByTestId("add-dialog-mode-manual").check();
    await page.getByTestId("add-dialog-dir").fill("/data/tv");
    await page.getByTestId("add-dialog-label").fill("tv");
    await screenshot(page, "add-dialog-light");
    await page.getByTestId("add-dialog-confirm").click();
    await dialog.waitFor({ state: "hidden" });

    assert.deepEqual(await fake("calls", "add_task"), [
      {
        cmd: "add_task",
        args: {
          source: MAGNET,
          options: { provider: "realdebrid", dir: "/data/tv", label: "tv", selection: { mode: "manual" } },
        },
      },
    ]);
    const row = taskRow(page, 1);
    await row.waitFor();
    assert.equal(await text(row.getByTestId("task-name")), "Show.S01.1080p.WEB");
    assert.equal(await text(row.getByTestId("task-provider")), "Real-Debrid");
    assert.equal(await row.getAttribute("data-state"), "queued");
    assert.equal(await page.getByTestId("add-input").inputValue(), "", "the add bar clears once added");

    // On the provider: its progress, labelled with its name.
    await fake("updateTask", 1, {
      state: "resolving",
      providerStatus: "Downloading",
      providerProgress: 0.42,
      providerSpeed: 6.5 * MiB,
      seeders: 31,
      totalBytes: 2.75 * GiB,
    });
    await fake("emitSnapshot");
    await eventually(async () => assert.equal(await row.getAttribute("data-state"), "resolving"));
    assert.equal(await row.getByTestId("task-progress").getAttribute("data-percent"), "42");
    assert.equal(await text(row.getByTestId("task-percent")), "Real-Debrid 42%");
    assert.equal(await text(row.getByTestId("task-state")), "Resolving");
    assert.equal(await text(row.getByTestId("task-speed")), "6.5 MiB/s");
    assert.equal(await text(row.getByTestId("task-provider-status")), "Downloading · 31 seeders");
    assert.equal(await page.getByTestId("select-dialog").isVisible(), false);

    // The provider lists the files: the dialog opens by itself.
    await fake("updateTask", 1, { state: "selecting", providerStatus: "Ready", providerProgress: 1, files: SEASON_FILES });
    await fake("emitSnapshot");
    const select = page.getByTestId("select-dialog");
    await select.waitFor();
    assert.equal(await text(page.getByTestId("select-summary")), "0 files, 0 B selected");
    assert.equal(await page.getByTestId("select-confirm").isDisabled(), true, "nothing chosen, nothing to confirm");
    assert.equal(await page.getByTestId("select-file").count(), 3);

    // By pattern (case ignored, on the whole path) …
    await page.getByTestId("select-pattern").fill("*s01e01*");
    assert.match(await text(page.getByTestId("select-match-count")), /^1 file matches/);
    await page.getByTestId("select-matching").click();
    const checkbox = (index) => page.locator(`[data-testid="select-file"][data-index="${index}"]`);
    assert.equal(await checkbox(0).isChecked(), true);
    assert.equal(await checkbox(1).isChecked(), false);
    const folder = page.locator('[data-testid="select-folder"][data-path="Show.S01.1080p.WEB/"]');
    assert.equal(await folder.evaluate((input) => input.indeterminate), true, "the folder is partly selected");
    // … and by checkbox.
    await checkbox(1).check();
    assert.equal(await text(page.getByTestId("select-summary")), "2 files, 2.7 GiB selected");
    await screenshot(page, "select-dialog-light");

    // Select all through the folder, then take the sample out by pattern again.
    await folder.check();
    assert.equal(await text(page.getByTestId("select-summary")), "3 files, 2.8 GiB selected");
    await page.getByTestId("select-pattern").fill("*/SAMPLE/*");
    await page.getByTestId("deselect-matching").click();
    assert.equal(await text(page.getByTestId("select-summary")), "2 files, 2.7 GiB selected");

    await page.getByTestId("select-confirm").click();
    await select.waitFor({ state: "hidden" });
    assert.deepEqual(await fake("calls", "select_task_files"), [
      { cmd: "select_task_files", args: { id: 1, indexes: [0, 1] } },
    ]);
    await eventually(async () => assert.equal(await row.getAttribute("data-state"), "downloading"));
    assert.equal(await page.getByTestId("select-dialog").isVisible(), false, "it does not open again");
  });

  it("shows the core's refusal in the select dialog", async () => {
    const { page, fake } = await open({
      core: { tasks: [task(4, "Show.S01.1080p.WEB", { state: "selecting", files: SEASON_FILES })] },
    });
    await taskRow(page, 4).getByTestId("task-choose-files").click();
    await page.getByTestId("select-dialog").waitFor();
    await page.locator('[data-testid="select-file"][data-index="2"]').check();
    await fake("failNext", "select_task_files", { code: "ProviderFailed", message: "The file is gone from the torrent." });
    await page.getByTestId("select-confirm").click();
    const error = page.getByTestId("select-error");
    await error.waitFor();
    assert.equal(await text(error), "The file is gone from the torrent.");
    assert.equal(await page.getByTestId("select-dialog").isVisible(), true, "the choice stays to try again");
    await page.getByTestId("select-cancel").click();
    await page.getByTestId("select-dialog").waitFor({ state: "hidden" });
  });

  it("lists tasks before downloads and expands a task's files with their progress", async () => {
    const fileDownload = (id, fileName, patch) => download(id, fileName, { dir: "/data/tv", ...patch });
    const { page, fake } = await open({
      viewport: { width: 1200, height: 720 },
      core: {
        downloads: [MIXED[0], MIXED[2], MIXED[4]],
        tasks: [
          task(1, "Show.S01.1080p.WEB", {
            provider: "alldebrid",
            state: "downloading",
            dir: "/data/tv",
            providerProgress: 1,
            totalBytes: 2.7 * GiB,
            files: [
              taskFile("Show.S01.1080p.WEB/Show.S01E01.1080p.mkv", 1.4 * GiB, fileDownload(21, "Show.S01E01.1080p.mkv", { state: "completed", totalBytes: 1.4 * GiB, receivedBytes: 1.4 * GiB })),
              taskFile("Show.S01.1080p.WEB/Show.S01E02.1080p.mkv", 1.3 * GiB, fileDownload(22, "Show.S01E02.1080p.mkv", { state: "active", totalBytes: 1.3 * GiB, receivedBytes: 0.2 * GiB })),
              taskFile("Show.S01.1080p.WEB/Sample/show.sample.mkv", 48 * MiB, null, false),
            ],
          }),
          task(2, "Big.Buck.Bunny.4K.Remux", {
            provider: "torbox",
            state: "resolving",
            providerStatus: "Downloading",
            providerProgress: 0.42,
            providerSpeed: 18.4 * MiB,
            seeders: 57,
            totalBytes: 23.5 * GiB,
          }),
        ],
      },
    });
    await taskRow(page, 1).waitFor();
    // Tasks first, newest first; then the downloads in queue order.
    const lines = await page
      .locator('[data-testid="task-row"], [data-testid="download-row"]')
      .evaluateAll((rows) => rows.map((r) => `${r.dataset.testid.split("-")[0]}:${r.dataset.id}`));
    assert.deepEqual(lines, ["task:2", "task:1", "download:1", "download:3", "download:5"]);

    const resolving = taskRow(page, 2);
    assert.equal(await text(resolving.getByTestId("task-percent")), "TorBox 42%");
    assert.equal(await resolving.getByTestId("task-progress").getAttribute("data-state"), "resolving");

    await fake("progress", 22, { receivedBytes: 0.65 * GiB, bytesPerSecond: 24 * MiB, etaSeconds: 27 });
    await fake("progress", 1, { receivedBytes: 3.7 * GiB, bytesPerSecond: 31 * MiB, etaSeconds: 70 });
    await fake("emitSnapshot");
    const downloading = taskRow(page, 1);
    // 1.4 GiB done + 0.65 GiB of the live file = 2.05 of 2.7 GiB.
    await eventually(async () => assert.equal(await downloading.getByTestId("task-progress").getAttribute("data-percent"), "75"));
    assert.equal(await text(downloading.getByTestId("task-speed")), "24.0 MiB/s");
    assert.equal(await text(downloading.getByTestId("task-eta")), "0:00:28");
    assert.equal(await text(page.getByTestId("status-speed")), "55.0 MiB/s", "task files count in the total");

    assert.equal(await page.getByTestId("task-file-row").count(), 0);
    await downloading.getByTestId("task-expand").click();
    assert.equal(await downloading.getAttribute("aria-expanded"), "true");
    await eventually(async () => assert.equal(await page.getByTestId("task-file-row").count(), 3));
    // Below the torrent's top folder (the task's name): the rest of each path.
    assert.equal(await text(fileRow(page, 1, 0).getByTestId("task-file-name")), "Show.S01E01.1080p.mkv");
    assert.equal(await text(fileRow(page, 1, 2).getByTestId("task-file-name")), "Sample/show.sample.mkv");
    assert.equal(await fileRow(page, 1, 2).getAttribute("title"), null);
    assert.equal(
      await fileRow(page, 1, 2).locator('[role="gridcell"]').first().getAttribute("title"),
      "Show.S01.1080p.WEB/Sample/show.sample.mkv",
    );
    assert.equal(await fileRow(page, 1, 0).getByTestId("task-file-progress").getAttribute("data-percent"), "100");
    assert.equal(await text(fileRow(page, 1, 0).getByTestId("task-file-state")), "Completed");
    assert.equal(await fileRow(page, 1, 1).getByTestId("task-file-progress").getAttribute("data-percent"), "50");
    assert.equal(await text(fileRow(page, 1, 1).getByTestId("task-file-state")), "Downloading");
    assert.equal(await text(fileRow(page, 1, 2).getByTestId("task-file-unselected")), "not selected");
    assert.equal(await text(fileRow(page, 1, 2).getByTestId("task-file-size")), "48.0 MiB");

    // The details panel tells where the resolving task stands on the provider.
    await resolving.click();
    const panel = page.getByTestId("details-panel");
    await panel.waitFor();
    assert.equal(await panel.getAttribute("data-kind"), "task");
    assert.equal(await text(panel.getByTestId("details-provider-status")), "Downloading · 42% · 18.4 MiB/s · 57 seeders");
    await screenshot(page, "transfers-tasks-light");

    // Keyboard: arrows skip the file lines; ← folds, Enter unfolds, Space pauses, Delete removes.
    await page.keyboard.press("ArrowDown");
    await eventually(async () => assert.equal(await downloading.getAttribute("aria-selected"), "true"));
    await page.keyboard.press("ArrowLeft");
    await eventually(async () => assert.equal(await page.getByTestId("task-file-row").count(), 0));
    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal(await page.getByTestId("task-file-row").count(), 3));
    await page.keyboard.press("ArrowDown");
    await eventually(async () => assert.equal(await row(page, 1).getAttribute("aria-selected"), "true"));
    await page.keyboard.press("ArrowUp");
    await eventually(async () => assert.equal(await downloading.getAttribute("aria-selected"), "true"));

    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await downloading.getAttribute("data-state"), "paused"));
    assert.deepEqual(await fake("calls", "pause_task"), [{ cmd: "pause_task", args: { id: 1 } }]);
    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await downloading.getAttribute("data-state"), "queued"));
    assert.deepEqual(await fake("calls", "resume_task"), [{ cmd: "resume_task", args: { id: 1 } }]);

    await page.keyboard.press("Delete");
    const remove = page.getByTestId("remove-dialog");
    await remove.waitFor();
    assert.match(await text(remove), /Remove “Show\.S01\.1080p\.WEB”\?/);
    assert.match(await text(page.getByTestId("confirm-remove-delete")), /Remove and delete files/);
    await page.getByTestId("confirm-remove-delete").click();
    await downloading.waitFor({ state: "detached" });
    assert.deepEqual(await fake("calls", "remove_task"), [{ cmd: "remove_task", args: { id: 1, deleteFiles: true } }]);
    assert.equal(await page.getByTestId("task-file-row").count(), 0);
  });

  it("shows a failed task's error inline and retries it", async () => {
    const { page, fake } = await open({
      core: {
        tasks: [
          task(3, "Old.Documentary.720p", {
            state: "failed",
            providerProgress: 0.07,
            error: { code: "ProviderFailed", message: "AllDebrid gave up: the torrent has no seeders." },
          }),
        ],
      },
    });
    const failed = taskRow(page, 3);
    await failed.waitFor();
    assert.equal(await text(failed.getByTestId("task-error")), "AllDebrid gave up: the torrent has no seeders.");
    assert.equal(await failed.getByTestId("task-error").getAttribute("data-code"), "ProviderFailed");
    assert.equal(await failed.getByTestId("error-login").count(), 0, "no login for this error");
    assert.equal(await text(failed.getByTestId("task-state")), "Failed");

    await failed.getByTestId("task-retry").click();
    await eventually(async () => assert.equal(await failed.getAttribute("data-state"), "queued"));
    assert.deepEqual(await fake("calls", "retry_task"), [{ cmd: "retry_task", args: { id: 3 } }]);
    assert.equal(await failed.getByTestId("task-error").count(), 0);
  });

  it("offers Log in for AuthRequired, which opens Accounts", async () => {
    const { page, fake } = await open({
      core: {
        tasks: [
          task(5, "Concert.2024.1080p", {
            state: "failed",
            error: { code: "AuthRequired", message: "AllDebrid needs a login." },
          }),
        ],
      },
    });
    const failed = taskRow(page, 5);
    await failed.waitFor();
    assert.equal(await text(failed.getByTestId("task-error")), "AllDebrid needs a login.");
    await screenshot(page, "task-auth-error-light");
    await failed.getByTestId("error-login").click();
    await page.getByTestId("account-card").first().waitFor();
    assert.equal(await page.getByTestId("nav-accounts").getAttribute("aria-current"), "page");

    // The same from the add dialog: the core refuses the magnet for want of a login.
    await page.getByTestId("nav-transfers").click();
    await page.getByTestId("add-input").fill(MAGNET);
    await page.getByTestId("add-input").press("Enter");
    await page.getByTestId("add-dialog").waitFor();
    await fake("failNext", "add_task", { code: "AuthRequired", message: "Log in to AllDebrid to add torrents." });
    await page.getByTestId("add-dialog-confirm").click();
    const error = page.getByTestId("add-dialog-error");
    await error.waitFor();
    assert.equal(await text(error), "Log in to AllDebrid to add torrents.");
    await page.getByTestId("add-dialog").getByTestId("error-login").click();
    await page.getByTestId("add-dialog").waitFor({ state: "hidden" });
    await page.getByTestId("account-card").first().waitFor();
    assert.equal(await page.getByTestId("nav-accounts").getAttribute("aria-current"), "page");
  });

  it("adds a .torrent dropped on the window", async () => {
    const { page, fake } = await open();
    await page.getByTestId("empty-state").waitFor();
    const torrent = "d8:announce22:udp://tracker.example4:infod6:lengthi1024e4:name9:Big Movie12:piece lengthi16384eee";
    const drop = (name, body) =>
      page.evaluate(
        ([fileName, content]) => {
          const data = new DataTransfer();
          data.items.add(new File([content], fileName, { type: "application/x-bittorrent" }));
          for (const type of ["dragenter", "dragover", "drop"]) {
            document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
          }
        },
        [name, body],
      );

    await drop("notes.txt", "hello");
    assert.match(await text(page.getByTestId("drop-error")), /Only \.torrent files can be dropped here/);

    await drop("big-movie.torrent", torrent);
    await page.getByTestId("add-dialog").waitFor();
    assert.equal(await text(page.getByTestId("add-dialog-name")), "big-movie.torrent");
    await page.getByTestId("add-dialog-confirm").click();
    await page.getByTestId("add-dialog").waitFor({ state: "hidden" });
    const [call] = await fake("calls", "add_torrent");
    assert.deepEqual(call.args.bytes, [...Buffer.from(torrent)], "the file's bytes, one number each");
    assert.deepEqual(call.args.options, { provider: "alldebrid", dir: "/home/user/Downloads", label: null, selection: { mode: "auto" } });
    await taskRow(page, 1).waitFor();
    assert.equal(await text(taskRow(page, 1).getByTestId("task-name")), "Big Movie");
  });
});

describe("debrid tasks in dark", () => {
  it("gives resolving and selecting their own colours", async () => {
    const { page } = await open({
      colorScheme: "dark",
      core: {
        settings: { theme: "system" },
        tasks: [
          task(1, "Show.S01.1080p.WEB", { state: "selecting", providerProgress: 1, files: SEASON_FILES }),
          task(2, "Big.Buck.Bunny.4K.Remux", { state: "resolving", provider: "realdebrid", providerStatus: "Downloading", providerProgress: 0.18, providerSpeed: 9 * MiB, seeders: 12 }),
          task(3, "Old.Documentary.720p", { state: "failed", error: { code: "ProviderFailed", message: "The torrent has no seeders." } }),
        ],
        downloads: [MIXED[0], MIXED[2]],
      },
    });
    await taskRow(page, 3).waitFor();
    await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark"));
    const colour = (id) =>
      taskRow(page, id).getByTestId("task-state").evaluate((badge) => getComputedStyle(badge).color);
    const colours = new Set([await colour(1), await colour(2), await colour(3)]);
    assert.equal(colours.size, 3, "one colour per state");
    await taskRow(page, 1).click();
    await screenshot(page, "transfers-tasks-dark");
  });
});

describe("accounts", () => {
  it("logs in with a PIN: shows the code, polls, then shows the account", async () => {
    const { page, fake } = await open({ core: { login: { polls: 3, interval: 1 } } });
    const status = page.getByTestId("status-account");
    await eventually(async () => assert.equal(await text(status), "AllDebrid: not logged in"));
    await status.click();

    const card = page.locator('[data-testid="account-card"][data-provider="alldebrid"]');
    await card.waitFor();
    // The cards render together, but the first may be painted before the others.
    await eventually(async () => assert.equal(await page.getByTestId("account-card").count(), 3));
    assert.equal(await text(card.getByTestId("account-state")), "Not logged in");
    await card.getByTestId("account-login").click();

    await card.getByTestId("login-code").waitFor();
    assert.equal(await text(card.getByTestId("login-code")), "K7QF-2XD9");
    assert.equal(await card.getByTestId("login-url").inputValue(), "https://alldebrid.com/pin/");
    assert.match(await text(card.getByTestId("login-waiting")), /^Waiting for you to confirm…/);
    assert.match(await text(card.getByTestId("login-countdown")), /expires in (10:00|9:5\d)$/);
    await screenshot(page, "accounts-login-light");

    await eventually(async () => assert.match(await text(card.getByTestId("account-state")), /^alice · premium until /), {
      timeout: 10_000,
    });
    assert.equal(await card.getByTestId("login-code").count(), 0, "the code goes once confirmed");
    assert.equal((await fake("calls", "poll_login")).length, 3);
    assert.deepEqual((await fake("calls", "poll_login"))[0].args, { loginId: 1 });
    await eventually(async () => assert.equal(await text(status), "AllDebrid: premium ✓"));

    // Cancel stops a login half-way: no more polls.
    const other = page.locator('[data-testid="account-card"][data-provider="realdebrid"]');
    await other.getByTestId("account-login").click();
    await other.getByTestId("login-code").waitFor();
    await other.getByTestId("login-cancel").click();
    assert.equal(await other.getByTestId("login-code").count(), 0);
    const polls = (await fake("calls", "poll_login")).length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await fake("calls", "poll_login")).length, polls, "no poll after Cancel");
    await other.getByTestId("account-login").waitFor();

    await card.getByTestId("account-logout").click();
    await eventually(async () => assert.equal(await text(card.getByTestId("account-state")), "Not logged in"));
    await eventually(async () => assert.equal(await text(status), "AllDebrid: not logged in"));
  });

  it("saves a TorBox API key and shows a refused one", async () => {
    const { page, fake } = await open();
    await page.getByTestId("nav-accounts").click();
    const card = page.locator('[data-testid="account-card"][data-provider="torbox"]');
    await card.waitFor();
    assert.equal(await card.getByTestId("account-login").count(), 0, "TorBox logs in with a key");
    const input = card.getByTestId("account-key-input");
    assert.equal(await input.getAttribute("type"), "password");

    await input.fill("bad-key");
    await card.getByTestId("account-key-save").click();
    const error = card.getByTestId("account-key-error");
    await error.waitFor();
    assert.equal(await text(error), "TorBox refused the API key.");
    assert.equal(await card.getByTestId("error-login").count(), 0, "already where the login is");

    await input.fill("tb-0123456789");
    await card.getByTestId("account-key-save").click();
    await eventually(async () => assert.match(await text(card.getByTestId("account-state")), /^tb-user · premium until /));
    assert.equal(await card.getByTestId("account-key-input").count(), 0);
    assert.deepEqual((await fake("calls", "set_api_key")).map((c) => c.args), [
      { provider: "torbox", key: "bad-key" },
      { provider: "torbox", key: "tb-0123456789" },
    ]);
  });

  it("notes a key from the environment", async () => {
    const { page } = await open({
      core: { accounts: { realdebrid: { configured: true, fromEnvironment: true, username: "env-user", premium: true } } },
    });
    await page.getByTestId("nav-accounts").click();
    const card = page.locator('[data-testid="account-card"][data-provider="realdebrid"]');
    await eventually(async () => assert.match(await text(card.getByTestId("account-state")), /^env-user · premium/));
    assert.match(await text(card.getByTestId("account-env")), /HAUL_REALDEBRID_API_KEY/);
    assert.equal(await card.getByTestId("account-logout").count(), 0);
  });
});

describe("debrid settings", () => {
  it("saves the Debrid section and names a refused URL", async () => {
    const { page, fake } = await open({ viewport: { width: 1120, height: 900 } });
    await page.getByTestId("nav-settings").click();
    const provider = page.getByTestId("settings-debrid-provider");
    const url = page.getByTestId("settings-alldebrid-url");
    await provider.waitFor();
    assert.equal(await provider.inputValue(), "alldebrid");
    assert.equal(await url.inputValue(), "https://api.alldebrid.com");
    assert.equal(await page.getByTestId("settings-rules-exclude").inputValue(), "*sample*");

    await url.fill("ftp://api.alldebrid.com");
    await page.getByTestId("settings-save").click();
    const message = page.getByTestId("settings-message");
    await eventually(async () =>
      assert.equal(await text(message), 'debrid.alldebridUrl must be an http or https URL (got "ftp://api.alldebrid.com").'),
    );
    assert.equal(await url.getAttribute("aria-invalid"), "true", "the named field is marked");
    assert.equal(await page.getByTestId("settings-torbox-url").getAttribute("aria-invalid"), null);
    const fieldError = page.getByTestId("settings-field-error");
    assert.equal(await fieldError.getAttribute("data-field"), "debrid.alldebridUrl");
    assert.match(await text(fieldError), /^debrid\.alldebridUrl must be an http or https URL/);
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "settings-alldebrid-url",
      "the refused field gets the focus",
    );
    await screenshot(page, "settings-debrid-error-light");

    await url.fill("http://127.0.0.1:9000");
    await provider.selectOption("torbox");
    await page.getByTestId("settings-rules-include").fill("*.mkv\n\n  *.mp4 ");
    await page.getByTestId("settings-rules-min-size").fill("50");
    await page.getByTestId("settings-rules-min-size-unit").selectOption("MiB");
    await page.getByTestId("settings-rules-extensions").fill(".mkv, mp4");
    await page.getByTestId("settings-rules-keep-subtitles").uncheck();
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.equal(await text(message), "Saved"));
    assert.equal(await url.getAttribute("aria-invalid"), null);
    assert.deepEqual((await fake("calls", "update_settings")).at(-1).args.settings.debrid, {
      provider: "torbox",
      alldebridUrl: "http://127.0.0.1:9000",
      realdebridUrl: "https://api.real-debrid.com/rest",
      torboxUrl: "https://api.torbox.app",
      rules: { include: ["*.mkv", "*.mp4"], exclude: ["*sample*"], minSize: 50 * MiB, extensions: ["mkv", "mp4"], keepSubtitles: false },
    });
    await page.getByTestId("settings-debrid-provider").scrollIntoViewIfNeeded();
    await screenshot(page, "settings-debrid-light");
    // The status bar follows the new default provider.
    await eventually(async () => assert.equal(await text(page.getByTestId("status-account")), "TorBox: not logged in"));
  });
});

// ---- desktop: quick add, clipboard offers, updates -------------------------------------

const QUICK_ADD = { hash: "#/quick-add", ready: '[data-testid="quick-add"]', viewport: { width: 560, height: 210 } };
const SHOW_OFFER = { kind: "magnet", text: MAGNET, name: "Show.S01.1080p.WEB" };

/** Waits until the quick-add field holds `value`, focused and all selected (typing replaces it). */
async function filledAndSelected(page, value) {
  await eventually(async () => {
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      return el instanceof HTMLInputElement
        ? { testid: el.dataset.testid, value: el.value, start: el.selectionStart, end: el.selectionEnd }
        : null;
    });
    assert.deepEqual(focus, { testid: "quick-add-input", value, start: 0, end: value.length }, "focused, selected");
  });
}

describe("quick add", () => {
  it("fills in the clipboard's magnet, adds it as a task and closes", async () => {
    const { page, fake } = await open({ ...QUICK_ADD, core: { clipboard: SHOW_OFFER } });
    const input = page.getByTestId("quick-add-input");
    await filledAndSelected(page, MAGNET);
    assert.equal(await text(page.getByTestId("quick-add-kind")), "Magnet: Show.S01.1080p.WEB");
    assert.equal(await page.getByTestId("quick-add-kind").getAttribute("data-kind"), "magnet");
    assert.equal(await page.locator(".app").count(), 0, "the quick-add window is not the main window");
    await screenshot(page, "quick-add-light");

    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal((await fake("calls", "close_quick_add")).length, 1));
    assert.deepEqual(await fake("calls", "add_task"), [{ cmd: "add_task", args: { source: MAGNET, options: {} } }]);
    assert.equal((await fake("calls", "add_download")).length, 0);
    await eventually(async () => assert.equal(await input.inputValue(), "", "empty for the next time the window shows"));
  });

  it("replaces the selection when typing, adds a link, and keeps the text on a refusal", async () => {
    const { page, fake } = await open({
      ...QUICK_ADD,
      colorScheme: "dark",
      core: { clipboard: SHOW_OFFER, settings: { theme: "system" } },
    });
    const input = page.getByTestId("quick-add-input");
    const kind = page.getByTestId("quick-add-kind");
    await filledAndSelected(page, MAGNET);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");

    await page.keyboard.type("https://mirror.example.com/isos/ubuntu-24.04.iso");
    assert.equal(await input.inputValue(), "https://mirror.example.com/isos/ubuntu-24.04.iso", "typing replaced it");
    assert.equal(await text(kind), "Link: ubuntu-24.04.iso");

    await fake("failNext", "add_download", { code: "LinkRefused", message: "mirror.example.com refused the link (HTTP 403)." });
    await page.getByTestId("quick-add-submit").click();
    const error = page.getByTestId("quick-add-error");
    await error.waitFor();
    assert.equal(await text(error), "mirror.example.com refused the link (HTTP 403).");
    assert.equal(await error.getAttribute("role"), "alert");
    assert.equal(await error.getAttribute("data-code"), "LinkRefused");
    assert.equal(await input.inputValue(), "https://mirror.example.com/isos/ubuntu-24.04.iso", "the text stays");
    assert.equal((await fake("calls", "close_quick_add")).length, 0, "the window stays open");
    await screenshot(page, "quick-add-error-dark");

    // Not a link: a hint, and the core's own refusal when added anyway.
    await input.fill("hello there");
    assert.equal(await page.getByTestId("quick-add-error").count(), 0, "typing clears the error");
    assert.equal(await kind.getAttribute("data-kind"), "not-a-link");
    await page.keyboard.press("Enter");
    await eventually(async () => assert.match(await text(error), /is not an http or https URL/));

    // Escape closes; shown again later, the empty field asks the clipboard again.
    await page.keyboard.press("Escape");
    await eventually(async () => assert.equal((await fake("calls", "close_quick_add")).length, 1));
    await eventually(async () => assert.equal(await input.inputValue(), "", "emptied once closed"));
    await fake("setClipboard", { kind: "link", text: "https://example.com/files/report.pdf", name: "report.pdf" });
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await filledAndSelected(page, "https://example.com/files/report.pdf");
    assert.equal(await text(kind), "Link: report.pdf");
    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal((await fake("calls", "close_quick_add")).length, 2));
    assert.deepEqual((await fake("calls", "add_download")).at(-1).args, { url: "https://example.com/files/report.pdf", dir: null });
  });

  it("starts empty with a hint when the clipboard holds nothing to add", async () => {
    const { page } = await open(QUICK_ADD);
    await eventually(async () => assert.ok((await page.evaluate(() => window.__haulFake.calls("clipboard_suggestion").length)) >= 1));
    assert.equal(await page.getByTestId("quick-add-input").inputValue(), "");
    assert.equal(await text(page.getByTestId("quick-add-kind")), "Paste a magnet or an http(s) link.");
    assert.equal(await page.getByTestId("quick-add-submit").isDisabled(), true);
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "quick-add-input",
      "the field has the focus",
    );
  });
});

describe("clipboard offer", () => {
  it("offers a copied link, lets a newer magnet replace it, adds it and shows a refusal", async () => {
    const { page, fake } = await open();
    await page.getByTestId("empty-state").waitFor();
    const offer = page.getByTestId("clipboard-offer");

    await fake("emit", "clipboard-offer-event", { kind: "link", text: "https://example.com/a/report.pdf", name: "report.pdf" });
    await offer.waitFor();
    assert.match(await text(offer), /^Add report\.pdf from the clipboard\?/);
    await fake("emit", "clipboard-offer-event", SHOW_OFFER);
    await eventually(async () => assert.match(await text(offer), /^Add Show\.S01\.1080p\.WEB from the clipboard\?/));
    assert.equal(await offer.count(), 1, "the newer offer replaced the older one");
    await screenshot(page, "clipboard-offer-light");

    await fake("failNext", "add_task", { code: "AuthRequired", message: "AllDebrid needs a login before adding magnets." });
    await page.getByTestId("clipboard-offer-add").click();
    const error = page.getByTestId("clipboard-offer-error");
    await error.waitFor();
    assert.equal(await text(error), "AllDebrid needs a login before adding magnets.");
    assert.equal(await offer.getByTestId("error-login").count(), 1, "a login fixes it");
    assert.equal(await offer.getByRole("alert").count(), 1);

    await page.getByTestId("clipboard-offer-add").click();
    await eventually(async () => assert.equal(await offer.count(), 0));
    assert.deepEqual((await fake("calls", "add_task")).at(-1).args, { source: MAGNET, options: {} });
    await taskRow(page, 1).waitFor();

    await fake("emit", "clipboard-offer-event", { kind: "link", text: "https://example.com/b.iso", name: "b.iso" });
    await offer.waitFor();
    await page.getByTestId("clipboard-offer-dismiss").click();
    await eventually(async () => assert.equal(await offer.count(), 0));
    assert.equal((await fake("calls", "add_download")).length, 0, "nothing is added without a click");
  });

  it("adds a link from the settings page and shows it in Transfers (dark)", async () => {
    const { page, fake } = await open({ colorScheme: "dark", core: { settings: { theme: "system" } } });
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("settings-download-dir").waitFor();
    await fake("emit", "clipboard-offer-event", { kind: "link", text: "https://example.com/isos/debian-12.iso", name: "debian-12.iso" });
    await page.getByTestId("clipboard-offer").waitFor();
    await screenshot(page, "clipboard-offer-dark");
    await page.getByTestId("clipboard-offer-add").click();
    await row(page, 1).waitFor();
    assert.equal(await page.getByTestId("nav-transfers").getAttribute("aria-current"), "page");
    assert.deepEqual((await fake("calls", "add_download")).at(-1).args, { url: "https://example.com/isos/debian-12.iso", dir: null });
  });
});

const UPDATE = {
  version: "1.4.0",
  currentVersion: "1.3.2",
  notes:
    "Faster starts.\n\n- Segments resume after a crash\n- <b>Not bold</b>: notes are plain text\n" +
    Array.from({ length: 12 }, (_, i) => `- Fix ${i + 1}: a longer line about what changed, so the notes scroll`).join("\n"),
  date: "2026-03-01T12:00:00Z",
};

describe("update prompt", () => {
  it("goes offered → downloading → ready and restarts", async () => {
    const { page, fake } = await open({ core: { update: UPDATE } });
    await page.getByTestId("empty-state").waitFor();
    await fake("emit", "update-available-event", UPDATE);
    const prompt = page.getByTestId("update-prompt");
    await prompt.waitFor();
    assert.equal(await prompt.getAttribute("data-state"), "offered");
    assert.equal(await text(page.getByTestId("update-version")), "Haul 1.4.0 is available (you have 1.3.2)");
    const notes = page.getByTestId("update-notes");
    assert.equal(await notes.textContent(), UPDATE.notes.trim(), "the notes as plain text");
    assert.equal(await notes.locator("b").count(), 0, "never read as HTML");
    const style = await notes.evaluate((el) => {
      const css = getComputedStyle(el);
      return { whiteSpace: css.whiteSpace, scrolls: el.scrollHeight > el.clientHeight };
    });
    assert.deepEqual(style, { whiteSpace: "pre-wrap", scrolls: true });
    assert.notEqual(
      await page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "update-download",
      "an update found by the core does not take the focus",
    );
    await screenshot(page, "update-offered-light");

    await page.getByTestId("update-download").click();
    await eventually(async () => assert.equal(await prompt.getAttribute("data-state"), "downloading"));
    assert.equal((await fake("calls", "download_update")).length, 1);
    await fake("emit", "update-progress-event", { downloaded: 10 * MiB, total: 40 * MiB });
    const bar = page.getByTestId("update-progress");
    await eventually(async () => assert.equal(await bar.getAttribute("data-percent"), "25"));
    await eventually(async () =>
      assert.equal(await bar.evaluate((el) => Math.round((el.firstElementChild.clientWidth / el.clientWidth) * 100)), 25),
    );
    assert.equal(await text(page.getByTestId("update-progress-text")), "Downloading and verifying… 25% · 10.0 MiB of 40.0 MiB");
    await screenshot(page, "update-downloading-light");
    await fake("emit", "update-progress-event", { downloaded: 12 * MiB, total: null });
    await eventually(async () =>
      assert.equal(await text(page.getByTestId("update-progress-text")), "Downloading and verifying… 12.0 MiB downloaded"),
    );

    await fake("finishUpdateDownload");
    await eventually(async () => assert.equal(await prompt.getAttribute("data-state"), "ready"));
    assert.match(await text(prompt), /Verified — restart Haul to finish/);
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "update-install",
      "the focus followed the steps",
    );
    await screenshot(page, "update-ready-light");
    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal((await fake("calls", "install_update")).length, 1));
    assert.equal(await text(page.getByTestId("update-install")), "Restarting…");
  });

  it("shows a refused update's message, installs nothing and closes", async () => {
    const { page, fake } = await open({
      colorScheme: "dark",
      core: { settings: { theme: "system" }, pendingUpdate: { ...UPDATE, notes: "Small fixes." } },
    });
    const prompt = page.getByTestId("update-prompt");
    await prompt.waitFor();
    assert.equal(await text(page.getByTestId("update-notes")), "Small fixes.", "found at start-up, before listening");
    await page.getByTestId("update-download").click();
    await eventually(async () => assert.equal(await prompt.getAttribute("data-state"), "downloading"));
    const message = "The update's signature does not match Haul's public key. Nothing was installed.";
    await fake("finishUpdateDownload", { code: "UpdateRefused", message });
    await eventually(async () => assert.equal(await prompt.getAttribute("data-state"), "failed"));
    const error = page.getByTestId("update-error");
    assert.equal(await text(error), message);
    assert.equal(await error.getAttribute("data-code"), "UpdateRefused");
    assert.equal(await prompt.getByRole("alert").count(), 1);
    assert.equal(await page.getByTestId("update-install").count(), 0);
    assert.equal(await page.getByTestId("update-retry").count(), 0, "a refused update is not retried");
    assert.equal(await text(page.getByTestId("update-dismiss")), "Close");
    await screenshot(page, "update-refused-dark");
    await page.getByTestId("update-dismiss").click();
    await eventually(async () => assert.equal(await prompt.count(), 0));
    assert.equal((await fake("calls", "install_update")).length, 0);
  });

  it("offers a retry when the update cannot be fetched, and Escape is Later", async () => {
    const { page, fake } = await open({ core: { update: UPDATE } });
    await page.getByTestId("empty-state").waitFor();
    await fake("emit", "update-available-event", UPDATE);
    const prompt = page.getByTestId("update-prompt");
    await page.getByTestId("update-download").click();
    await eventually(async () => assert.equal(await prompt.getAttribute("data-state"), "downloading"));
    await fake("finishUpdateDownload", { code: "UpdateUnavailable", message: "updates.haul.example did not answer." });
    await eventually(async () => assert.equal(await prompt.getAttribute("data-state"), "failed"));
    await page.getByTestId("update-retry").click();
    await eventually(async () => assert.equal(await prompt.getAttribute("data-state"), "downloading"));
    await fake("finishUpdateDownload");
    await eventually(async () => assert.equal(await prompt.getAttribute("data-state"), "ready"));
    await page.getByTestId("update-install").focus();
    await page.keyboard.press("Escape");
    await eventually(async () => assert.equal(await prompt.count(), 0));
    assert.equal((await fake("calls", "install_update")).length, 0);
  });
});

describe("desktop and update settings", () => {
  it("saves the Desktop and Updates sections and shows the core's refusals", async () => {
    const { page, fake } = await open({ viewport: { width: 1120, height: 900 } });
    await page.getByTestId("nav-settings").click();
    const tray = page.getByTestId("settings-close-to-tray");
    const clipboard = page.getByTestId("settings-watch-clipboard");
    const login = page.getByTestId("settings-start-at-login");
    const endpoint = page.getByTestId("settings-update-endpoint");
    const onStart = page.getByTestId("settings-check-on-start");
    await tray.waitFor();
    assert.deepEqual(
      [await tray.isChecked(), await clipboard.isChecked(), await login.isChecked(), await onStart.isChecked()],
      [false, false, false, true],
    );
    assert.equal(await endpoint.inputValue(), "https://updates.haul.example/latest.json");
    assert.match(await text(page.locator("#settings-watch-clipboard-help")), /Off by default.*nothing is added until you click/);

    const message = page.getByTestId("settings-message");
    await endpoint.fill("http://updates.example.com/latest.json");
    await page.getByTestId("settings-save").click();
    await eventually(async () =>
      assert.equal(await text(message), 'updates.endpoint must be an https URL (got "http://updates.example.com/latest.json").'),
    );
    assert.equal(await endpoint.getAttribute("aria-invalid"), "true");
    assert.equal(await page.getByTestId("settings-field-error").getAttribute("data-field"), "updates.endpoint");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "settings-update-endpoint");

    await endpoint.fill("https://updates.example.com/latest.json");
    await tray.check();
    await clipboard.check();
    await onStart.uncheck();
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.equal(await text(message), "Saved"));
    const saved = (await fake("calls", "update_settings")).at(-1).args.settings;
    assert.deepEqual(saved.desktop, { closeToTray: true, watchClipboard: true, startAtLogin: false });
    assert.deepEqual(saved.updates, { endpoint: "https://updates.example.com/latest.json", checkOnStart: false });
    assert.equal(saved.downloadDir, "/home/user/Downloads", "the other settings go along unchanged");

    // The desktop refuses start at login: the core's message, under that checkbox.
    await login.check();
    const refusal = "Haul could not be set to start at login: the autostart folder is not writable.";
    await fake("failNext", "update_settings", { code: "SystemIntegration", message: refusal });
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.equal(await text(message), refusal));
    assert.equal(await message.getAttribute("role"), "alert");
    const fieldError = page.getByTestId("settings-field-error");
    assert.equal(await fieldError.getAttribute("data-field"), "desktop.startAtLogin");
    assert.equal(await login.isChecked(), true, "the choice stays for another try");
    await login.scrollIntoViewIfNeeded();
    await screenshot(page, "settings-desktop-error-light");
  });

  it("checks for updates now: up to date, an update (opens the prompt), or the core's error", async () => {
    const { page, fake } = await open({ colorScheme: "dark", viewport: { width: 1120, height: 900 }, core: { settings: { theme: "system" } } });
    await page.getByTestId("nav-settings").click();
    const button = page.getByTestId("check-updates-now");
    const result = page.getByTestId("update-check-result");
    await button.click();
    await eventually(async () => assert.equal(await text(result), "Haul is up to date."));
    assert.equal(await page.getByTestId("update-prompt").count(), 0);

    await fake("failNext", "check_for_update", { code: "UpdateUnavailable", message: "updates.haul.example could not be reached." });
    await button.click();
    await eventually(async () => assert.equal(await text(result), "updates.haul.example could not be reached."));
    assert.equal(await result.getAttribute("role"), "alert");

    await fake("setUpdate", UPDATE);
    await button.focus();
    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal(await text(result), "Haul 1.4.0 is available."));
    const prompt = page.getByTestId("update-prompt");
    assert.equal(await prompt.getAttribute("data-state"), "offered");
    await eventually(async () =>
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "update-download"),
    );
    await button.scrollIntoViewIfNeeded();
    await screenshot(page, "settings-updates-dark");
    await page.getByTestId("update-dismiss").click();
    await eventually(async () => assert.equal(await prompt.count(), 0));
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "check-updates-now",
      "Later gives the focus back",
    );
  });
});
