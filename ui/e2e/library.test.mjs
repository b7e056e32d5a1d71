// End-to-end tests of the Library, Duplicates and Recycle bin pages against the built UI
// with the fake core (fake-core.js + fake-library.js); media from media.mjs.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, screenshot, useBuiltUi } from "./support.mjs";

const MiB = 1024 * 1024;
const DAY = 86_400_000;
/** The newest picture of the small library; the others go back from it. */
const NEWEST = Date.UTC(2025, 2, 28, 16, 30);

const SHAPES = [
  [4000, 3000],
  [3000, 4000],
  [1920, 1080],
  [2048, 2048],
  [1080, 1350],
  [3840, 1600],
];

/** A library item as the core sends it (fake-library.js fills the rest). */
function item(id, patch = {}) {
  const [width, height] = SHAPES[id % SHAPES.length];
  const sortAt = NEWEST - (id - 1) * 1.7 * DAY;
  return {
    id,
    name: `IMG_${String(2000 + id)}.jpg`,
    width,
    height,
    size: (1.5 + (id % 7) * 0.9) * MiB,
    addedAt: sortAt,
    sortAt,
    origin: id % 4 === 0 ? "folder" : "download",
    blake3: id.toString(16).padStart(64, "0"),
    ...patch,
  };
}

/** 48 pictures over three months, one video, one song, one PDF; two exact copies of #3. */
const LIBRARY = [
  ...Array.from({ length: 48 }, (_, i) => item(i + 1)),
  item(49, { name: "beach-trip.mp4", kind: "video", mime: "video/mp4", width: 1920, height: 1080, size: 84 * MiB }),
  item(50, { name: "song.flac", kind: "audio", mime: "audio/flac", width: null, height: null, size: 31 * MiB }),
  item(51, { name: "invoice.pdf", kind: "other", mime: "application/pdf", width: null, height: null, size: 0.2 * MiB }),
  item(52, { name: "IMG_2003 (1).jpg", blake3: item(3).blake3, width: 4000, height: 3000, size: item(3).size }),
  item(53, {
    name: "IMG_2003-copy.jpg",
    path: "/home/user/Downloads/old/IMG_2003-copy.jpg",
    blake3: item(3).blake3,
    width: 4000,
    height: 3000,
    size: item(3).size,
    addedAt: NEWEST - 400 * DAY,
    sortAt: NEWEST - 400 * DAY,
  }),
];

const ui = useBuiltUi();

async function open(options = {}) {
  return ui.open({ media: {}, ...options });
}

const tiles = (page) => page.getByTestId("library-tile");
const tile = (page, id) => page.locator(`[data-testid="library-tile"][data-id="${id}"]`);
const text = async (locator) => (await locator.textContent())?.trim();
const countOf = async (page) => Number((await text(page.getByTestId("library-count"))).replace(/\D/g, ""));

/** Every image in the tiles has loaded (none is broken). */
async function imagesLoaded(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="library-tile"] img')].every((img) => img.complete && img.naturalWidth > 0),
  );
}

async function openLibrary(page) {
  await page.getByTestId("nav-library").click();
  await page.getByTestId("library-grid").waitFor();
}

describe("library", () => {
  it("shows the gallery newest first, with thumbnails and kind tiles", async () => {
    const { page } = await open({ core: { library: { items: LIBRARY } }, media: { failThumbs: [49] } });
    await openLibrary(page);
    await eventually(async () => assert.equal(await countOf(page), LIBRARY.length));
    await tile(page, 1).waitFor();
    assert.ok((await tiles(page).count()) > 10, "tiles are drawn");
    const firstIds = await tiles(page).evaluateAll((els) => els.slice(0, 3).map((el) => Number(el.dataset.id)));
    assert.deepEqual(firstIds, [1, 2, 3], "newest first");
    assert.equal(await tile(page, 1).locator("img").count(), 1, "a thumbnail");
    await eventually(async () => assert.ok(await imagesLoaded(page), "no broken image"));
    const src = await tile(page, 1).locator("img").getAttribute("src");
    assert.equal(src, "http://haul-media.localhost/thumb/1", "by id only, on Windows' address");
    await screenshot(page, "library-light");
  });

  it("narrows at once with a kind chip, and by name as typing pauses", async () => {
    const { page, fake } = await open({ core: { library: { items: LIBRARY } } });
    await openLibrary(page);
    await tile(page, 1).waitFor();

    await page.getByTestId("library-kind-video").click();
    await eventually(async () => assert.equal(await countOf(page), 1));
    assert.equal(await page.getByTestId("library-kind-video").getAttribute("aria-pressed"), "true");
    await eventually(async () => assert.deepEqual(await tiles(page).evaluateAll((els) => els.map((el) => el.dataset.id)), ["49"]));
    const last = (await fake("libraryCalls")).at(-1);
    assert.deepEqual(last.filter.kinds, ["video"], "the core is asked for videos only");

    await page.getByTestId("library-kind-video").click();
    await page.getByTestId("library-kind-image").click();
    await eventually(async () => assert.equal(await countOf(page), 50));

    // Ctrl+F goes to the name field; the list follows once typing pauses.
    await page.getByTestId("library-grid").focus();
    await page.keyboard.press("Control+f");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "library-filter-name");
    await page.keyboard.type("IMG_202");
    await eventually(async () => assert.equal(await countOf(page), 10));
    assert.deepEqual(
      (await tiles(page).evaluateAll((els) => els.map((el) => Number(el.dataset.id)))).sort((a, b) => a - b),
      [20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
    );

    await page.getByTestId("library-filter-min-size").fill("5 MiB");
    await eventually(async () => assert.ok((await countOf(page)) < 10));
    const sized = (await fake("libraryCalls")).at(-1).filter;
    assert.equal(sized.minSize, 5 * MiB, "binary units");
    await screenshot(page, "library-filtered-light");

    await page.getByTestId("library-filter-name").fill("nothing like this");
    await page.getByTestId("library-filter-empty").waitFor();
    await page.getByTestId("library-filter-clear").click();
    await eventually(async () => assert.equal(await countOf(page), LIBRARY.length));
  });

  it("opens the viewer, moves with the arrows, bins with Delete and closes with Esc", async () => {
    const { page, fake } = await open({ core: { library: { items: LIBRARY } } });
    await openLibrary(page);
    await tile(page, 2).click();
    const viewer = page.getByTestId("viewer");
    await viewer.waitFor();
    assert.equal(await viewer.getAttribute("data-id"), "2");
    const image = page.getByTestId("viewer-image");
    assert.equal(await image.getAttribute("src"), "http://haul-media.localhost/file/2");
    await eventually(async () => assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0)));
    assert.equal(await text(page.getByTestId("viewer-resolution")), "1920 × 1080");
    assert.match(await text(page.getByTestId("viewer-path")), /IMG_2002\.jpg$/);

    await page.keyboard.press("ArrowRight");
    await eventually(async () => assert.equal(await viewer.getAttribute("data-id"), "3"));
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowRight");
    await eventually(async () => assert.equal(await viewer.getAttribute("data-id"), "3"));
    await screenshot(page, "viewer-light");

    // Delete bins it and shows the next one in its place.
    await page.keyboard.press("Delete");
    await eventually(async () => assert.equal(await viewer.getAttribute("data-id"), "4"));
    assert.equal((await fake("libraryItem", 3)).state, "binned");
    assert.equal((await fake("binEntries")).length, 1);
    await eventually(async () => assert.equal(await countOf(page), LIBRARY.length - 1));

    // The button does the same.
    await page.getByTestId("viewer-delete").click();
    await eventually(async () => assert.equal(await viewer.getAttribute("data-id"), "5"));

    await page.keyboard.press("Escape");
    await viewer.waitFor({ state: "detached" });
    assert.equal(await tile(page, 3).count(), 0);
    assert.equal(await tile(page, 4).count(), 0);
    await tile(page, 5).waitFor();
  });

  it("edits an item's date, tags and description, and shows the core's refusal", async () => {
    const { page, fake } = await open({ core: { library: { items: LIBRARY } } });
    await openLibrary(page);
    await tile(page, 1).click();
    await page.getByTestId("viewer").waitFor();

    await page.getByTestId("viewer-tags").fill(`beach, ${"x".repeat(101)}`);
    // Keys typed in a field stay there: Delete does not bin the item.
    await page.getByTestId("viewer-tags").press("Delete");
    await page.getByTestId("viewer-save").click();
    await eventually(async () =>
      assert.equal(await text(page.getByTestId("viewer-error")), "Tags are at most 100, of at most 100 characters each."),
    );
    assert.equal((await fake("libraryItem", 1)).state, "present");

    await page.getByTestId("viewer-posted").fill("2024-07-14T09:30");
    await page.getByTestId("viewer-tags").fill("beach, summer");
    await page.getByTestId("viewer-description").fill("Sunset at the dunes");
    await page.getByTestId("viewer-save").click();
    await page.getByTestId("viewer-saved").waitFor();
    const saved = await fake("libraryItem", 1);
    assert.deepEqual(saved.tags, ["beach", "summer"]);
    assert.equal(saved.description, "Sunset at the dunes");
    assert.equal(saved.postedAt, await page.evaluate(() => new Date(2024, 6, 14, 9, 30).getTime()));
    // The new date moves it down the list; the viewer stays with it.
    await page.waitForTimeout(300);
    await eventually(async () => assert.equal(await page.getByTestId("viewer").getAttribute("data-id"), "1"));
    assert.notEqual(await text(page.locator('[data-testid="viewer"] .position')), "1 / 53");
    await eventually(async () =>
      assert.ok(await page.getByTestId("viewer-image").evaluate((img) => img.complete && img.naturalWidth > 0)),
    );
    await screenshot(page, "viewer-edit-light");

    // Esc in a field leaves the field; the next one closes the viewer.
    await page.getByTestId("viewer-description").focus();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.getByTestId("viewer").waitFor({ state: "detached" });
  });

  it("moves with the arrow keys and bins the selection with Delete", async () => {
    const { page, fake } = await open({ core: { library: { items: LIBRARY } } });
    await openLibrary(page);
    await tile(page, 1).waitFor();
    await page.getByTestId("library-grid").focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    const active = () => page.getByTestId("library-grid").getAttribute("aria-activedescendant");
    assert.equal(await active(), "library-tile-1");
    await page.keyboard.press("ArrowDown");
    const below = Number((await active()).replace("library-tile-", ""));
    assert.ok(below > 2, `a row down (${below})`);
    await page.keyboard.press("Enter");
    await page.getByTestId("viewer").waitFor();
    await page.keyboard.press("Escape");

    // Ctrl+click selects several; Delete bins them all.
    await tile(page, 1).click({ modifiers: ["Control"] });
    await tile(page, 2).click({ modifiers: ["Control"] });
    await eventually(async () => assert.match(await text(page.getByTestId("library-selection")), /2 selected/));
    await screenshot(page, "library-selection-light");
    await page.keyboard.press("Delete");
    await eventually(async () => assert.equal(await countOf(page), LIBRARY.length - 2));
    assert.equal((await fake("libraryItem", 1)).state, "binned");
    assert.equal((await fake("libraryItem", 2)).state, "binned");
  });

  it("explains the empty library and adds a folder with its report", async () => {
    const scan = {
      items: [
        { id: 900, name: "holiday-01.jpg", sortAt: NEWEST, addedAt: NEWEST },
        { id: 901, name: "holiday-02.jpg", sortAt: NEWEST - DAY, addedAt: NEWEST - DAY },
        { id: 902, name: "holiday-03.jpg", sortAt: NEWEST - 2 * DAY, addedAt: NEWEST - 2 * DAY },
      ],
      failed: [{ path: "/home/user/Pictures/broken.jpg", error: { code: "MediaCorrupt", message: "The JPEG ends early." } }],
      stepMs: 250,
    };
    const { page } = await open({ core: { library: { scan } } });
    await page.getByTestId("nav-library").click();
    const empty = page.getByTestId("library-empty");
    await empty.waitFor();
    assert.match(await text(empty), /download land here by themselves/);
    await screenshot(page, "library-empty-light");

    await page.getByTestId("add-folder-button").click();
    await page.getByTestId("add-folder-dialog").waitFor();
    await page.getByTestId("add-folder-path").fill("Pictures");
    await page.getByTestId("add-folder-submit").click();
    await page.getByTestId("add-folder-error").waitFor();

    await page.getByTestId("add-folder-path").fill("/home/user/Pictures");
    await page.getByTestId("add-folder-submit").click();
    // The scan's progress shows in the status bar while it runs.
    await eventually(async () => assert.match(await text(page.getByTestId("status-library")), /^Scanning \d\/4$/));
    await screenshot(page, "library-scanning-light");
    await page.getByTestId("add-folder-report").waitFor({ timeout: 10_000 });
    assert.equal(await text(page.getByTestId("add-folder-added")), "3");
    assert.equal(await text(page.getByTestId("add-folder-failed")), "1");
    assert.match(await text(page.getByTestId("add-folder-report")), /broken\.jpg\s*The JPEG ends early\./);
    await screenshot(page, "add-folder-report-light");
    await eventually(async () => assert.equal(await page.getByTestId("status-library").count(), 0));

    await page.getByTestId("add-folder-close").click();
    await eventually(async () => assert.equal(await countOf(page), 3));
    await tile(page, 900).waitFor();
  });
});

describe("library at scale", () => {
  const N = 150_000;
  const LAST_ID = 1_000_000 + N - 1;

  it("reaches the last of 150 000 items with End and the scrubber, drawing only what is in view", async () => {
    const { page, fake } = await open({
      core: { library: { generated: N } },
      viewport: { width: 800, height: 640 },
    });
    await openLibrary(page);
    await eventually(async () => assert.equal(await countOf(page), N), { timeout: 15_000 });
    await tile(page, 1_000_000).waitFor();
    const grid = page.getByTestId("library-grid");
    // So tall that the scroll range is scaled under the browsers' height limit.
    assert.equal(await grid.getAttribute("data-scaled"), "true");
    assert.ok((await grid.evaluate((el) => el.scrollHeight)) <= 8_000_000);
    await screenshot(page, "library-150k-top-light");

    // The wheel still moves by real pixels, a few rows, not thousands of items.
    await grid.hover();
    await page.mouse.wheel(0, 600);
    await eventually(async () => {
      const first = await grid.evaluate((el) => {
        const top = el.getBoundingClientRect().top;
        const inView = [...el.querySelectorAll('[data-testid="library-tile"]')].filter(
          (tile) => tile.getBoundingClientRect().bottom > top + 1,
        );
        return Math.min(...inView.map((tile) => Number(tile.dataset.index)));
      });
      assert.ok(first > 0 && first < 40, `first tile in view after one wheel turn: ${first}`);
    });

    // End: the last item, without loading the 150 000 before it.
    await grid.focus();
    const listsBefore = (await fake("libraryCalls")).length;
    await page.keyboard.press("End");
    await tile(page, LAST_ID).waitFor({ timeout: 15_000 });
    await eventually(async () => assert.ok(await tile(page, LAST_ID).isVisible()));
    assert.equal(await grid.getAttribute("aria-activedescendant"), `library-tile-${N - 1}`);
    const lists = (await fake("libraryCalls")).length - listsBefore;
    assert.ok(lists <= 6, `pages fetched for the jump: ${lists}`);
    const drawn = await tiles(page).count();
    assert.ok(drawn < 500, `tiles in the DOM: ${drawn}`);
    await eventually(async () => assert.ok(await imagesLoaded(page)));
    await screenshot(page, "library-150k-end-light");

    // Home and back up; then the scrubber's bottom (the oldest month) from the top.
    await page.keyboard.press("Home");
    await tile(page, 1_000_000).waitFor();
    const scrubber = page.getByTestId("library-scrubber");
    const box = await scrubber.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 2, { steps: 5 });
    await page.mouse.up();
    await tile(page, LAST_ID).waitFor({ timeout: 15_000 });
    const months = await page.locator('[data-testid="scrubber-month"]').evaluateAll((els) => els.map((el) => el.dataset.month));
    assert.equal(months.at(-1), "2022-07", "the oldest month is the scrubber's last mark");
    const shown = await tiles(page).evaluateAll((els) => els.map((el) => Number(el.dataset.id)).filter((id) => id > 0));
    assert.ok(shown.length > 0 && shown.length < 500, `tiles in the DOM: ${shown.length}`);
    for (const id of [Math.min(...shown), LAST_ID]) {
      const month = new Date((await fake("libraryItem", id)).sortAt).toISOString().slice(0, 7);
      assert.equal(month, "2022-07", `item ${id} is from the oldest month`);
    }
    await screenshot(page, "library-150k-scrubbed-light");

    // Oldest first: End jumps to the newest item through a seek from the other side.
    await page.getByTestId("library-sort").selectOption("oldest");
    await tile(page, LAST_ID).waitFor();
    assert.equal(await tiles(page).first().getAttribute("data-index"), "0", "a new sort starts at the top");
    await grid.focus();
    await page.keyboard.press("End");
    await tile(page, 1_000_000).waitFor({ timeout: 15_000 });
    assert.ok((await tiles(page).count()) < 500);

    // A filter starts at the top too.
    await page.getByTestId("library-kind-video").click();
    await eventually(async () => assert.equal(await countOf(page), Math.ceil((N - 5) / 23)));
    await eventually(async () => assert.equal(await tiles(page).first().getAttribute("data-index"), "0"));
  });
});

describe("duplicates", () => {
  /** A second pair of exact copies, smaller than the first group. */
  const PAIR = [
    item(60, { name: "receipt-scan.png", blake3: "a".repeat(64), size: 0.8 * MiB, width: 1200, height: 1600 }),
    item(61, {
      name: "receipt-scan (2).png",
      path: "/home/user/Downloads/receipt-scan (2).png",
      blake3: "a".repeat(64),
      size: 0.8 * MiB,
      width: 1200,
      height: 1600,
    }),
  ];
  /** Three versions of one photo, the middle one the largest picture. */
  const SIMILAR = [
    item(70, { name: "sunset-small.jpg", width: 1280, height: 960, size: 0.4 * MiB, similar: "sunset" }),
    item(71, { name: "sunset.jpg", width: 4000, height: 3000, size: 5.1 * MiB, similar: "sunset" }),
    item(72, { name: "sunset-edit.jpg", width: 2000, height: 1500, size: 1.2 * MiB, similar: "sunset" }),
  ];
  const keep = (page) => page.locator('[data-testid="dupes-item"][data-keep="true"]');

  it("pre-selects the best copy, bins the rest and moves to the next group", async () => {
    const { page, fake } = await open({ core: { library: { items: [...LIBRARY, ...PAIR] } } });
    await page.getByTestId("nav-duplicates").click();
    const group = page.getByTestId("dupes-group");
    await group.waitFor();
    assert.equal(await text(page.getByTestId("dupes-position")), "Group 1 of 2");
    assert.deepEqual(
      (await page.getByTestId("dupes-item").evaluateAll((els) => els.map((el) => Number(el.dataset.id)))).sort((a, b) => a - b),
      [3, 52, 53],
    );
    // Same content, same size: the oldest in the library is kept.
    assert.equal(await keep(page).getAttribute("data-id"), "53");
    assert.equal(await page.locator('[data-testid="dupes-item"] img').count(), 3, "thumbnails side by side");
    await screenshot(page, "duplicates-light");

    await page.locator('[data-testid="dupes-item"][data-id="3"] [data-testid="dupes-keep-radio"]').check();
    assert.equal(await keep(page).getAttribute("data-id"), "3");
    await page.getByTestId("dupes-keep").click();
    await eventually(async () => assert.equal(await text(page.getByTestId("dupes-position")), "Group 1 of 1"));
    assert.equal((await fake("libraryItem", 3)).state, "present");
    assert.equal((await fake("libraryItem", 52)).state, "binned");
    assert.equal((await fake("libraryItem", 53)).state, "binned");
    assert.deepEqual(
      (await page.getByTestId("dupes-item").evaluateAll((els) => els.map((el) => Number(el.dataset.id)))).sort(),
      [60, 61],
    );

    await page.getByTestId("dupes-keep").click();
    await page.getByTestId("dupes-empty").waitFor();
    assert.match(await text(page.getByTestId("dupes-empty")), /No exact copies/);
    await screenshot(page, "duplicates-empty-light");
  });

  it("finds similar images within a distance, keeping the largest picture", async () => {
    const { page, fake } = await open({ colorScheme: "dark", core: { settings: { theme: "system" }, library: { items: [...LIBRARY, ...SIMILAR] } } });
    await page.getByTestId("nav-duplicates").click();
    await page.getByTestId("dupes-group").waitFor();
    await page.getByTestId("dupes-tab-similar").click();
    await eventually(async () =>
      assert.deepEqual(
        (await page.getByTestId("dupes-item").evaluateAll((els) => els.map((el) => Number(el.dataset.id)))).sort(),
        [70, 71, 72],
      ),
    );
    assert.equal(await keep(page).getAttribute("data-id"), "71", "the highest resolution");
    assert.equal(await text(page.getByTestId("dupes-distance-value")), "8");
    await page.getByTestId("dupes-distance").fill("12");
    await eventually(async () =>
      assert.deepEqual((await fake("libraryCalls")).filter((c) => c.cmd === "library_similar").at(-1), {
        cmd: "library_similar",
        distance: 12,
      }),
    );
    await screenshot(page, "duplicates-similar-dark");
  });
});

describe("recycle bin", () => {
  // Bin entries are named by their items' ids (80, 81, 82).
  const BIN = [
    { item: item(80, { name: "old-screenshot.png" }), deletedAt: NEWEST - 2 * DAY, purgeAt: Date.now() + 28 * DAY },
    {
      item: item(81, { name: "clip.mp4", kind: "video", mime: "video/mp4" }),
      deletedAt: NEWEST - 27 * DAY,
      purgeAt: Date.now() + 2.5 * DAY,
    },
    {
      item: item(82, { name: "voice-memo.m4a", kind: "audio", mime: "audio/mp4", width: null, height: null }),
      originalPath: "/home/user/Music/memos/voice-memo.m4a",
      deletedAt: NEWEST - 5 * DAY,
      purgeAt: Date.now() + 25 * DAY,
    },
  ];
  const rows = (page) => page.getByTestId("bin-row");
  const row = (page, id) => page.locator(`[data-testid="bin-row"][data-id="${id}"]`);

  it("restores an item binned in the viewer", async () => {
    const { page, fake } = await open({ core: { library: { items: LIBRARY } } });
    await openLibrary(page);
    await tile(page, 2).click();
    await page.getByTestId("viewer-delete").click();
    await eventually(async () => assert.equal(await page.getByTestId("viewer").getAttribute("data-id"), "3"));
    await page.getByTestId("viewer-close").click();

    await page.getByTestId("nav-bin").click();
    await rows(page).first().waitFor();
    assert.equal(await rows(page).count(), 1);
    const [entry] = await fake("binEntries");
    assert.equal(entry.id, 2, "a bin entry is named by its item's id");
    const binned = row(page, entry.id);
    assert.equal(await text(binned.getByTestId("bin-name")), "IMG_2002.jpg");
    assert.equal(await text(binned.getByTestId("bin-path")), "/home/user/Pictures/IMG_2002.jpg");
    assert.equal(await text(binned.getByTestId("bin-days-left")), "30 days");
    assert.equal(await page.getByTestId("bin-restore").isDisabled(), true, "nothing selected yet");
    await binned.click();
    await page.getByTestId("bin-restore").click();
    await page.getByTestId("bin-empty-state").waitFor();
    assert.match(await text(page.getByTestId("bin-message")), /Restored 1 file/);
    assert.equal((await fake("libraryItem", 2)).state, "present");

    await openLibrary(page);
    await tile(page, 2).waitFor();
  });

  it("deletes forever and empties the bin, asking first", async () => {
    const { page, fake } = await open({ core: { library: { items: LIBRARY.slice(0, 10), bin: BIN } } });
    await page.getByTestId("nav-bin").click();
    await rows(page).first().waitFor();
    assert.equal(await rows(page).count(), 3);
    assert.equal(await text(row(page, 81).getByTestId("bin-days-left")), "3 days");
    await row(page, 80).click();
    await row(page, 82).click({ modifiers: ["Shift"] });
    assert.equal(await page.locator('[data-testid="bin-row"][aria-selected="true"]').count(), 3);
    await row(page, 81).getByTestId("bin-select").click();
    assert.equal(await page.locator('[data-testid="bin-row"][aria-selected="true"]').count(), 2);
    await screenshot(page, "bin-light");

    await page.getByTestId("bin-purge").click();
    await page.getByTestId("confirm-dialog").waitFor();
    assert.match(await text(page.locator("#confirm-title")), /Delete 2 files forever\?/);
    await screenshot(page, "bin-confirm-light");
    await page.getByTestId("confirm-cancel").click();
    assert.equal(await rows(page).count(), 3, "cancel keeps them");

    await page.getByTestId("bin-purge").click();
    await page.getByTestId("confirm-ok").click();
    await eventually(async () => assert.equal(await rows(page).count(), 1));
    assert.deepEqual((await fake("binEntries")).map((e) => e.id), [81]);
    assert.equal(await fake("libraryItem", 80), null, "purged for good");

    await page.getByTestId("bin-empty").click();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId("bin-empty-state").waitFor();
    assert.match(await text(page.getByTestId("bin-empty-state")), /for 30 days/);
    assert.equal(await page.getByTestId("bin-empty").isDisabled(), true);
    await screenshot(page, "bin-empty-light");
  });
});

describe("library in dark", () => {
  it("keeps the pages finished in the dark theme", async () => {
    const { page } = await open({
      colorScheme: "dark",
      core: {
        settings: { theme: "system" },
        library: {
          items: LIBRARY,
          bin: [{ item: item(80, { name: "old-screenshot.png" }), deletedAt: NEWEST - 2 * DAY }],
        },
      },
      media: { failThumbs: [49] },
    });
    await openLibrary(page);
    await tile(page, 1).waitFor();
    await eventually(async () => assert.ok(await imagesLoaded(page)));
    await page.getByTestId("library-kind-video").click();
    await page.getByTestId("library-kind-audio").click();
    await page.getByTestId("library-kind-image").click();
    await page.getByTestId("library-kind-image").click();
    await eventually(async () => assert.equal(await countOf(page), 2));
    // A video whose thumbnail failed and a song: kind tiles, no broken image.
    assert.equal(await tile(page, 49).locator("img").count(), 0);
    assert.equal(await tile(page, 50).locator("img").count(), 0);
    await screenshot(page, "library-kinds-dark");
    await page.getByTestId("library-kind-video").click();
    await page.getByTestId("library-kind-audio").click();
    await eventually(async () => assert.equal(await countOf(page), LIBRARY.length));
    await screenshot(page, "library-dark");

    await tile(page, 4).click();
    await page.getByTestId("viewer-image").waitFor();
    await screenshot(page, "viewer-dark");
    await page.keyboard.press("Escape");

    await page.getByTestId("nav-bin").click();
    await page.getByTestId("bin-row").first().click();
    await screenshot(page, "bin-dark");
  });

  it("shows the library's background work in the status bar", async () => {
    const { page, fake } = await open({ colorScheme: "dark", core: { settings: { theme: "system" } } });
    await fake("emit", "library-progress-event", { job: "scan", done: 120, total: 400, running: true, paused: false });
    const status = page.getByTestId("status-library");
    await eventually(async () => assert.equal(await text(status), "Scanning 120/400"));
    assert.equal(await status.locator('[role="progressbar"]').getAttribute("aria-valuenow"), "30");
    await screenshot(page, "status-library-dark");

    // Pause: a paused scan sends nothing, so the bar says so at once; then resume.
    await page.getByTestId("status-library-pause").click();
    await eventually(async () => assert.equal(await text(status), "Scanning 120/400 · paused"));
    assert.deepEqual((await fake("libraryCalls")).at(-1), { cmd: "library_set_paused", paused: true });
    await screenshot(page, "status-library-paused-dark");
    await page.getByTestId("status-library-pause").click();
    await eventually(async () => assert.equal(await text(status), "Scanning 120/400"));
    assert.deepEqual((await fake("libraryCalls")).at(-1), { cmd: "library_set_paused", paused: false });
    await status.click();
    await page.getByTestId("library-empty").waitFor();
    await fake("emit", "library-progress-event", { job: "scan", done: 400, total: 400, running: false, paused: false });
    await eventually(async () => assert.equal(await status.count(), 0));
  });
});
