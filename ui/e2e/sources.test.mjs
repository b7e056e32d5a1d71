// End-to-end tests of the Sources and History pages against the built UI with the fake
// core (fake-sources.js): following a source from a pasted link and its preview, checking,
// pausing and removing it from the keyboard, what a failing source or a gap says, and a
// history of 100,000 files scrolled, searched and refreshed.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, screenshot, useBuiltUi } from "./support.mjs";

const REDDIT = "https://www.reddit.com/r/EarthPorn/";

const PREVIEW = {
  url: REDDIT,
  platform: "reddit",
  extractor: "reddit",
  suggestedName: "r/EarthPorn",
  title: "EarthPorn",
  posts: 25,
  items: [
    { postId: "a1", account: "someone", postedAt: 1_740_000_000, caption: "A lake at dawn", url: "https://i.redd.it/lake.jpg", kind: "image", name: null },
    { postId: "a2", account: "other", postedAt: 1_740_000_100, caption: "Timelapse", url: "https://v.redd.it/abc/DASH_720.mp4", kind: "video", name: "timelapse.mp4" },
  ],
};

const ui = useBuiltUi();

async function open(sources = {}) {
  return ui.open({ core: { sources } });
}

const text = async (locator) => (await locator.textContent())?.trim();
const rows = (page) => page.getByTestId("source-row");
const row = (page, id) => page.locator(`[data-testid="source-row"][data-id="${id}"]`);

describe("sources", () => {
  it("follows a pasted link after previewing it, then checks, pauses and removes it from the keyboard", async () => {
    const { page, fake } = await open({ previews: { [REDDIT]: PREVIEW } });
    const nav = page.getByTestId("nav-sources");
    await nav.click();
    await page.getByTestId("sources-page").waitFor();
    await page.getByTestId("sources-empty").waitFor();

    await page.getByTestId("add-source").click();
    await page.getByTestId("source-url").fill(REDDIT);
    await eventually(async () => assert.match((await text(page.getByTestId("source-recognised"))) ?? "", /EarthPorn.*25 posts.*reddit/));
    assert.equal(await page.getByTestId("source-preview-item").count(), 2);
    assert.equal(await page.getByTestId("source-name-input").inputValue(), "r/EarthPorn");
    assert.equal((await fake("calls", "source_preview")).length, 1, "one preview for the whole link");
    await screenshot(page, "sources-add-dialog");

    await page.getByTestId("source-follow").click();
    await page.getByTestId("source-dialog").waitFor({ state: "hidden" });
    await eventually(async () => assert.equal(await rows(page).count(), 1));
    const [added] = await fake("calls", "source_add");
    assert.deepEqual(added.args.source, {
      url: REDDIT,
      name: "r/EarthPorn",
      schedule: { kind: "every", seconds: 3600 },
      dir: null,
      account: null,
      extractor: null,
      options: { template: null, firstLimit: null, stopAfterKnown: null },
    });
    const id = Number(await rows(page).first().getAttribute("data-id"));

    await row(page, id).getByTestId("source-check").click();
    await eventually(async () => assert.equal(await row(page, id).getAttribute("data-state"), "checking"));
    await fake("finishCheck", id, { lastNew: 4, done: 4 });
    await eventually(async () => assert.equal(await text(row(page, id).getByTestId("source-new")), "+4"));
    assert.equal(await text(row(page, id).getByTestId("source-last-check")), "just now");

    await row(page, id).click();
    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await row(page, id).getAttribute("data-state"), "paused"));
    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await row(page, id).getAttribute("data-state"), "active"));
    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal((await fake("calls", "source_check")).length, 2));

    await page.keyboard.press("Delete");
    await page.getByTestId("source-remove-dialog").waitFor();
    await page.getByTestId("source-remove-bin").click();
    await eventually(async () => assert.equal(await rows(page).count(), 0));
    const [removed] = await fake("calls", "source_remove");
    assert.deepEqual(removed.args, { id, deleteFiles: true });
    assert.match((await text(page.getByTestId("sources-message"))) ?? "", /4 files moved to the recycle bin/);
  });

  it("says why a source fails, offers to fill a gap and counts what it fetched", async () => {
    const { page, fake } = await open({
      sources: [
        { id: 1, name: "Holiday thread", state: "failing", errorCode: "SourceBlocked", errorMessage: "Blocked: forum.example.com answered 403", done: 12, pending: 2, failed: 1 },
        { id: 2, name: "r/pics", platform: "reddit", extractor: "reddit", gap: true, lastNew: 50 },
        { id: 3, name: "Paused one", state: "paused" },
        { id: 4, name: "Quiet one" },
      ],
    });
    await page.getByTestId("nav-sources").click();
    await eventually(async () => assert.equal(await rows(page).count(), 4));
    assert.equal(await text(row(page, 1).getByTestId("source-error")), "Blocked: forum.example.com answered 403");
    assert.equal(await text(row(page, 1).getByTestId("source-state")), "Failing");
    assert.match((await text(row(page, 1).getByTestId("source-counts"))) ?? "", /12\s*\/\s*2\s*\/\s*1/);
    assert.equal(await text(row(page, 4).getByTestId("source-next-check")), "in 42 min");
    assert.equal(await text(row(page, 4).getByTestId("source-last-check")), "5 min ago");
    assert.equal(await text(row(page, 3).getByTestId("source-next-check")), "—");
    assert.match((await text(row(page, 2).getByTestId("source-gap"))) ?? "", /There may be a gap/);
    await row(page, 2).getByTestId("source-fill-gap").click();
    await eventually(async () => assert.equal((await fake("calls", "source_fill_gap")).length, 1));
    await screenshot(page, "sources-list");

    await row(page, 4).getByTestId("source-edit").click();
    await page.getByTestId("source-dialog").waitFor();
    assert.equal(await page.getByTestId("source-url").getAttribute("readonly"), "");
    assert.equal(await page.getByTestId("source-every").inputValue(), "1");
    await page.getByTestId("source-name-input").fill("Quiet thread");
    await page.getByTestId("source-every").fill("30");
    await page.getByTestId("source-every-unit").selectOption("minutes");
    await page.getByTestId("source-dir").fill("/data/quiet");
    await page.getByTestId("source-follow").click();
    await page.getByTestId("source-dialog").waitFor({ state: "hidden" });
    const [edited] = await fake("calls", "source_edit");
    assert.deepEqual(edited.args, {
      id: 4,
      edit: {
        name: "Quiet thread",
        schedule: { kind: "every", seconds: 1800 },
        dir: "/data/quiet",
        account: null,
        extractor: "xenforo",
        options: { template: null, firstLimit: null, stopAfterKnown: null },
      },
    });
    await eventually(async () => assert.equal(await text(row(page, 4).getByTestId("source-name")), "Quiet thread"));
    assert.equal(await text(row(page, 4).getByTestId("source-schedule")), "every 30m");

    await page.getByTestId("sources-check-all").click();
    await eventually(async () => {
      const checked = (await fake("calls", "source_check")).map((c) => c.args.id).sort();
      assert.deepEqual(checked, [1, 4]); // 2 is being checked already, 3 is paused
    });
  });

  it("shows the core's refusals in the add dialog and checks the schedule first", async () => {
    const login = "https://www.instagram.com/someone/";
    const { page, fake } = await open({
      previews: {
        [login]: { error: { code: "SourceLoginRequired", message: "Login required: instagram.com wants a logged-in account" } },
        [REDDIT]: PREVIEW,
      },
    });
    await page.getByTestId("nav-sources").click();
    await page.getByTestId("sources-page").waitFor();
    await page.keyboard.press("Control+n");
    await page.getByTestId("source-url").fill("https://nothing.example.com/page");
    await eventually(async () => assert.match((await text(page.getByTestId("source-preview-error"))) ?? "", /No extractor handles/));

    await page.getByTestId("source-url").fill(login);
    await eventually(async () => assert.match((await text(page.getByTestId("source-preview-error"))) ?? "", /Login required/));
    await page.getByTestId("source-import-cookies").click();
    await page.getByTestId("source-cookies-account").fill("me");
    await page.getByTestId("source-cookies-text").fill(".instagram.com\tTRUE\t/\tTRUE\t0\tsessionid\tabc");
    await page.getByTestId("source-cookies-import").click();
    await eventually(async () => assert.equal(await page.getByTestId("source-account").inputValue(), "me"));

    await page.getByTestId("source-url").fill(REDDIT);
    await page.getByTestId("source-schedule-mode").selectOption("cron");
    await page.getByTestId("source-cron").fill("0 */6 * *");
    await page.getByTestId("source-follow").click();
    assert.match((await text(page.getByTestId("source-schedule-problem"))) ?? "", /5 fields.*not 4/);
    assert.equal((await fake("calls", "source_add")).length, 0);
    await page.getByTestId("source-cron").fill("0 */6 * * *");
    await eventually(async () => assert.equal(await page.getByTestId("source-schedule-problem").count(), 0));
    await page.getByTestId("source-follow").click();
    await page.getByTestId("source-dialog").waitFor({ state: "hidden" });
    const [added] = await fake("calls", "source_add");
    assert.deepEqual(added.args.source.schedule, { kind: "cron", expr: "0 */6 * * *" });
    assert.equal(added.args.source.account, "me");
  });
});

describe("history", () => {
  it("scrolls 100,000 files page by page, drawing only the rows in view", async () => {
    const { page, fake } = await open({ historyCount: 100_000 });
    await page.getByTestId("nav-history").click();
    await page.getByTestId("history-page").waitFor();
    await eventually(async () => assert.equal(await text(page.getByTestId("history-count")), "100,000 files"));
    const drawn = await page.getByTestId("history-row").count();
    assert.ok(drawn > 10 && drawn < 80, `${drawn} rows drawn`);
    assert.equal(await text(page.getByTestId("history-row").first().getByTestId("history-name")), "photo-100000.jpg");

    const viewport = page.getByTestId("history-viewport");
    for (let page_ = 0; page_ < 5; page_++) {
      await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.waitForTimeout(50);
    }
    await eventually(async () => assert.ok((await fake("calls", "history_search")).length >= 4));
    const searches = await fake("calls", "history_search");
    assert.deepEqual(
      searches.slice(0, 3).map((c) => [c.args.query.cursor, c.args.query.limit]),
      [
        [null, 200],
        ["99801", 200],
        ["99601", 200],
      ],
    );
    assert.ok((await page.getByTestId("history-row").count()) < 80);

    // New files while scrolled down: a pill, not a jump.
    await fake("addHistory", 3);
    await page.getByTestId("history-new-files").waitFor();
    await page.getByTestId("history-new-files").click();
    await eventually(async () => assert.equal(await text(page.getByTestId("history-count")), "100,003 files"));
    assert.equal(await text(page.getByTestId("history-row").first().getByTestId("history-name")), "photo-100003.jpg");

    // At the top, new files show at once.
    await fake("addHistory", 1);
    await eventually(async () => assert.equal(await text(page.getByTestId("history-count")), "100,004 files"));
    await screenshot(page, "history");
  });

  it("searches and filters from the first page, and says when nothing matches", async () => {
    const { page, fake } = await open({ historyCount: 500 });
    await page.getByTestId("nav-history").click();
    await eventually(async () => assert.equal(await text(page.getByTestId("history-count")), "500 files"));
    await page.keyboard.press("Control+f");
    await page.keyboard.type("number 42");
    await eventually(async () => assert.equal(await text(page.getByTestId("history-count")), "11 files"));
    const last = (await fake("calls", "history_search")).at(-1);
    assert.equal(last.args.query.text, "number 42");
    assert.equal(last.args.query.cursor, null);

    await page.getByTestId("history-filter-kind").selectOption("video");
    await eventually(async () => assert.equal(await text(page.getByTestId("history-count")), "3 files"));
    await page.getByTestId("history-search").fill("nothing like this");
    await page.getByTestId("history-no-match").waitFor();
    await page.getByTestId("history-clear-empty").click();
    await eventually(async () => assert.equal(await text(page.getByTestId("history-count")), "500 files"));
  });

  it("explains an empty history", async () => {
    const { page } = await open({});
    await page.getByTestId("nav-history").click();
    await page.getByTestId("history-empty").waitFor();
  });
});
