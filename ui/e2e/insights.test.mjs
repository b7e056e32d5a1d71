// End-to-end tests of the Diagnostics and Statistics pages against the built UI with the
// fake core (fake-stats.js): the readiness checks and Refresh, reached from the keyboard;
// the three plots over 30, 7 and 90 days, light and dark, refreshed by history events; the
// empty state.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, screenshot, useBuiltUi } from "./support.mjs";

const ui = useBuiltUi();

async function open(options = {}) {
  return ui.open({ viewport: { width: 1120, height: 760 }, ...options });
}

const text = async (locator) => (await locator.textContent())?.replace(/\s+/g, " ").trim();

describe("diagnostics", () => {
  it("lists every check with its mark, reached from the sidebar by keyboard, and runs them again on Refresh", async () => {
    const { page, fake } = await open();
    await page.getByTestId("nav-accounts").focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByTestId("diagnostics-page").waitFor();
    assert.equal(await page.getByTestId("nav-diagnostics").getAttribute("aria-current"), "page");

    const checks = page.getByTestId("diagnostics-check");
    await eventually(async () => assert.equal(await checks.count(), 7));
    assert.match(await text(page.getByTestId("diagnostics-verdict")), /^Ready/);
    const gallery = page.locator('[data-testid="diagnostics-check"][data-name="gallery-dl"]');
    assert.equal(await gallery.getAttribute("data-ok"), "false");
    assert.equal(await gallery.getAttribute("data-mark"), "missing");
    assert.match(await text(gallery), /Optional, missing/);
    assert.match(await text(page.locator('[data-name="disk space"]')), /182\.4 GiB free/);
    await screenshot(page, "diagnostics-ready");

    await fake("setReadiness", {
      ready: false,
      checks: [
        { name: "database", ok: true, required: true, detail: "answers" },
        { name: "disk space", ok: false, required: true, detail: "214.0 MiB free in /home/user/Downloads (512.0 MiB needed)" },
        { name: "provider AllDebrid", ok: false, required: true, detail: "AllDebrid refused the API key: AUTH_BAD_APIKEY" },
        { name: "yt-dlp", ok: false, required: false, detail: "not found" },
      ],
    });
    const before = (await fake("calls", "diagnostics")).length;
    await page.getByTestId("diagnostics-refresh").click();
    await eventually(async () => assert.match(await text(page.getByTestId("diagnostics-verdict")), /^Not ready/));
    assert.equal((await fake("calls", "diagnostics")).length, before + 1);
    assert.equal(await checks.count(), 4);
    const disk = page.locator('[data-testid="diagnostics-check"][data-name="disk space"]');
    assert.equal(await disk.getAttribute("data-ok"), "false");
    assert.equal(await disk.getAttribute("data-mark"), "failed");
    assert.match(await text(page.getByTestId("diagnostics-verdict")), /2 of 4|1 of 4/);
    await screenshot(page, "diagnostics-not-ready");
  });

  it("shows the core's message when the checks cannot run", async () => {
    const { page, fake } = await open();
    await fake("failNext", "diagnostics", { code: "Database", message: "The database is locked by another process." });
    await page.getByTestId("nav-diagnostics").click();
    const error = page.getByTestId("diagnostics-error");
    await error.waitFor();
    assert.equal(await error.getAttribute("data-code"), "Database");
    assert.match(await text(error), /database is locked/);
    await page.getByTestId("diagnostics-refresh").click();
    await eventually(async () => assert.equal(await page.getByTestId("diagnostics-check").count(), 7));
    assert.equal(await error.count(), 0);
  });
});

/** Tall enough for the three plots at once. */
const TALL = { viewport: { width: 1120, height: 1010 } };

describe("statistics", () => {
  it("plots speed, volume per day and top sources over 30 days, then 7 and 90", async () => {
    const { page, fake } = await open(TALL);
    await page.getByTestId("nav-statistics").click();
    await page.getByTestId("statistics-page").waitFor();
    await page.getByTestId("stats-volume").locator("g.day").first().waitFor();

    assert.deepEqual(await fake("statsCalls"), [30]);
    assert.equal(await page.getByTestId("stats-range").inputValue(), "30");
    assert.equal(await page.getByTestId("stats-volume").locator("g.day").count(), 30);
    assert.ok((await page.getByTestId("stats-volume").locator("rect.segment").count()) > 30, "stacked segments");
    const line = await page.getByTestId("stats-speed").locator("path.line").getAttribute("d");
    assert.ok(line && line.split("L").length > 100, "a speed line with a point per bucket");
    assert.equal(await page.getByTestId("stats-source").count(), 7);
    assert.match(await text(page.getByTestId("stats-top-sources")), /r\/EarthPorn/);
    // Axes in binary units.
    assert.match(await text(page.getByTestId("stats-speed").locator("svg")), /MiB\/s/);
    assert.match(await text(page.getByTestId("stats-volume").locator("svg")), /GiB|MiB/);
    assert.match(await text(page.getByTestId("stats-platforms")), /reddit/);
    assert.match(await text(page.getByTestId("stats-count")), /files · .*iB/);
    await screenshot(page, "statistics-30-days");

    // Pointing at a day's bar tells its origins and platforms.
    const busiest = await page.getByTestId("stats-volume").locator("g.day").evaluateAll((days) =>
      days.reduce((best, d, i, all) => (Number(d.dataset.bytes) > Number(all[best].dataset.bytes) ? i : best), 0),
    );
    await page.getByTestId("stats-volume").locator("g.day").nth(busiest).hover();
    const tip = page.getByTestId("stats-day");
    await tip.waitFor();
    assert.match(await text(tip), /\d{4}.*iB in [\d,]+ files?/);
    assert.match(await text(tip), /Downloads|Debrid tasks|Sources/);
    await screenshot(page, "statistics-hover");

    await page.getByTestId("stats-range").selectOption("7");
    await eventually(async () => assert.equal(await page.getByTestId("stats-volume").locator("g.day").count(), 7));
    assert.deepEqual(await fake("statsCalls"), [30, 7]);
    await screenshot(page, "statistics-7-days");

    await page.getByTestId("stats-range").selectOption("90");
    await eventually(async () => assert.equal(await page.getByTestId("stats-volume").locator("g.day").count(), 90));
    await screenshot(page, "statistics-90-days");

    // Files added to the history: the figures are asked again (once for a burst).
    const calls = (await fake("statsCalls")).length;
    await page.evaluate(() => {
      for (let i = 0; i < 5; i++) window.__haulFake.emit("history-changed-event", null);
    });
    await eventually(async () => assert.ok((await fake("statsCalls")).length > calls));
    await new Promise((ok) => setTimeout(ok, 200));
    assert.ok((await fake("statsCalls")).length <= calls + 2, "a burst of events is coalesced");
  });

  it("draws the same plots in the dark theme", async () => {
    const { page } = await open({ ...TALL, colorScheme: "dark", core: { settings: { theme: "dark" } } });
    await page.getByTestId("nav-statistics").click();
    await page.getByTestId("stats-volume").locator("g.day").first().waitFor();
    await screenshot(page, "statistics-dark");
  });

  it("explains an empty history instead of drawing empty axes", async () => {
    const { page } = await open({ core: { stats: { empty: true } } });
    await page.getByTestId("nav-statistics").click();
    const empty = page.getByTestId("stats-empty");
    await empty.waitFor();
    assert.match(await text(empty), /No history in this range/);
    assert.equal(await page.getByTestId("stats-speed").count(), 0);
    await screenshot(page, "statistics-empty");
  });
});
