// End-to-end tests of faces and people against the built UI with the fake core
// (fake-faces.js next to the fake library): the People page from no models to named and
// merged people, a person's faces corrected and their photos in the Library, the viewer's
// face boxes, the status bar's "Finding faces" and the Faces settings.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, screenshot, useBuiltUi } from "./support.mjs";

const DAY = 86_400_000;
const NEWEST = Date.UTC(2025, 2, 28, 16, 30);

/** Eight photos, newest first by id. */
const ITEMS = Array.from({ length: 8 }, (_, i) => {
  const id = i + 1;
  return { id, name: `IMG_${3000 + id}.jpg`, sortAt: NEWEST - i * DAY, addedAt: NEWEST - i * DAY, width: 4000, height: 3000 };
});

/** Person 1 in photos 1–3, person 2 in 4–5; photo 6 has a large face of nobody and a small one of person 2. */
const FACES = [
  { id: 101, itemId: 1, personId: 1, x: 0.4, y: 0.2, width: 0.2, height: 0.3 },
  { id: 102, itemId: 2, personId: 1, x: 0.1, y: 0.3, width: 0.15, height: 0.2 },
  { id: 103, itemId: 3, personId: 1, x: 0.6, y: 0.1, width: 0.2, height: 0.25 },
  { id: 104, itemId: 4, personId: 2, x: 0.3, y: 0.3, width: 0.2, height: 0.3 },
  { id: 105, itemId: 5, personId: 2, x: 0.5, y: 0.2, width: 0.18, height: 0.24 },
  { id: 106, itemId: 6, personId: null, x: 0.15, y: 0.2, width: 0.3, height: 0.4 },
  { id: 107, itemId: 6, personId: 2, x: 0.65, y: 0.45, width: 0.12, height: 0.16 },
];

const ui = useBuiltUi();

async function open(options = {}) {
  return ui.open({ media: {}, ...options });
}

const text = async (locator) => (await locator.textContent())?.trim();
const cards = (page) => page.getByTestId("person-card");
const card = (page, id) => page.locator(`[data-testid="person-card"][data-id="${id}"]`);
const tiles = (page) => page.getByTestId("library-tile");

/** Every face crop on the page has loaded (none is broken). */
async function cropsLoaded(page, css) {
  return page.evaluate(
    (selector) => [...document.querySelectorAll(`${selector} img`)].every((img) => img.complete && img.naturalWidth > 0),
    css,
  );
}

describe("people", () => {
  it("goes from no models to faces found, named and merged", async () => {
    const { page, fake } = await open({
      core: {
        library: { items: ITEMS },
        faces: {
          pending: 8,
          fetchError: {
            code: "ModelUnavailable",
            message:
              "The face model face_detection_yunet_2023mar.onnx could not be fetched from https://models.example/: offline. Install it from a folder with `haul faces models install DIR`.",
          },
          scan: { items: 8, stepMs: 60, people: [{ id: 1 }, { id: 2 }], faces: FACES.filter((f) => f.id !== 107) },
        },
      },
    });
    await page.getByTestId("nav-people").click();
    assert.equal(await page.getByTestId("nav-people").getAttribute("aria-current"), "page");
    const empty = page.getByTestId("people-empty");
    await empty.waitFor();
    assert.match(await text(empty), /offline, on this computer/);
    assert.match(await text(empty), /haul faces models install DIR/);
    await screenshot(page, "people-no-models-light");

    // The first download fails: the core's message says how to install the models instead.
    await page.getByTestId("people-download-models").click();
    const error = page.getByTestId("people-error");
    await error.waitFor();
    assert.equal(await error.getAttribute("data-code"), "ModelUnavailable");
    assert.match(await text(error), /haul faces models install DIR/);

    // The second works, then the faces are found; the status bar says so meanwhile.
    await page.getByTestId("people-download-models").click();
    await eventually(async () => assert.match(await text(page.getByTestId("status-library")), /^Finding faces \d\/8$/));
    await screenshot(page, "people-finding-light");
    await eventually(async () => assert.equal(await cards(page).count(), 2), { timeout: 10_000 });
    await eventually(async () => assert.ok(await cropsLoaded(page, '[data-testid="person-card"]')));
    assert.match(await text(page.getByTestId("people-message")), /^Analysed 8 photos: 6 faces, 2 new people\.$/);
    assert.equal(await text(card(page, 1).getByTestId("person-count")), "3 photos");
    assert.equal(await text(card(page, 2).getByTestId("person-count")), "2 photos");
    assert.match(await text(page.getByTestId("people-status")), /^8 analysed · 0 to analyse/);
    await screenshot(page, "people-found-light");

    // Name the one with three photos: click, type, Enter.
    await card(page, 1).getByTestId("person-name").click();
    await page.getByTestId("person-rename-input").fill("Barack");
    await page.getByTestId("person-rename-input").press("Enter");
    await eventually(async () => assert.match(await text(page.getByTestId("people-grid")), /Barack/));
    assert.equal(await text(card(page, 1).getByTestId("person-name")), "Barack");
    // Named people come first.
    assert.deepEqual(await cards(page).evaluateAll((els) => els.map((el) => el.dataset.id)), ["1", "2"]);

    // The same name for the other: the core says to merge instead; Esc leaves it as it was.
    await card(page, 2).getByTestId("person-name").click();
    await page.getByTestId("person-rename-input").fill("barack");
    await page.getByTestId("person-rename-input").press("Enter");
    await eventually(async () => assert.match(await text(page.getByTestId("person-rename-error")), /merge the two instead/));
    await screenshot(page, "people-rename-refused-light");
    await page.getByTestId("person-rename-input").press("Escape");
    await eventually(async () => assert.equal(await text(card(page, 2).getByTestId("person-name")), "Unnamed"));

    // Select both and merge: the dialog names them; the named one stays.
    await card(page, 1).getByTestId("person-select").check();
    await card(page, 2).getByTestId("person-select").check();
    await page.getByTestId("people-merge").click();
    await page.getByTestId("confirm-dialog").waitFor();
    assert.equal(await text(page.locator("#confirm-title")), "Merge “Barack” with an unnamed person?");
    assert.match(await text(page.locator("#confirm-message")), /“Barack” \(3 photos\) and an unnamed person \(2 photos\)/);
    await screenshot(page, "people-merge-light");
    await page.getByTestId("confirm-ok").click();
    await eventually(async () => assert.equal(await cards(page).count(), 1));
    await eventually(async () => assert.equal(await text(card(page, 1).getByTestId("person-count")), "5 photos"));
    assert.deepEqual(
      (await fake("facesCalls")).map((c) => c.cmd),
      ["person_rename", "people_merge"],
    );
  });

  it("opens a person, corrects their faces and shows their photos in the Library", async () => {
    const { page, fake } = await open({
      core: {
        library: { items: ITEMS },
        faces: {
          installed: true,
          analysed: 8,
          people: [
            { id: 1, name: "Barack" },
            { id: 2, name: "Joe" },
            { id: 3, hidden: true },
          ],
          faces: [...FACES, { id: 108, itemId: 7, personId: 3 }],
        },
      },
    });
    await page.getByTestId("nav-people").click();
    await eventually(async () => assert.equal(await cards(page).count(), 2, "the hidden one is not shown"));
    await page.getByTestId("people-show-hidden").check();
    await eventually(async () => assert.equal(await cards(page).count(), 3));
    await page.getByTestId("people-show-hidden").uncheck();
    await eventually(async () => assert.equal(await cards(page).count(), 2));

    await page.getByRole("button", { name: "Open Barack" }).click();
    await page.getByTestId("person-view").waitFor();
    const faces = page.getByTestId("person-face");
    await eventually(async () => assert.equal(await faces.count(), 3));
    await eventually(async () => assert.ok(await cropsLoaded(page, '[data-testid="person-face"]')));
    await screenshot(page, "person-light");

    await page.locator('[data-testid="person-face"][data-id="102"] [data-testid="person-face-reject"]').click();
    await eventually(async () => assert.equal(await faces.count(), 2));
    await page.locator('[data-testid="person-face"][data-id="103"] [data-testid="person-face-move"]').click();
    const dialog = page.getByTestId("move-face-dialog");
    await dialog.waitFor();
    await screenshot(page, "person-move-light");
    await dialog.locator('[data-testid="move-face-target"][data-id="2"]').click();
    await eventually(async () => assert.equal(await faces.count(), 1));
    assert.deepEqual((await fake("facesCalls")).map((c) => [c.cmd, c.faceId, c.personId]), [
      ["face_reject", 102, undefined],
      ["face_move", 103, 2],
    ]);

    // "Show photos": the Library, filtered by Barack (one photo left).
    await page.getByTestId("person-show-photos").click();
    await page.getByTestId("library-grid").waitFor();
    await eventually(async () => assert.equal(await tiles(page).count(), 1));
    assert.equal(await tiles(page).first().getAttribute("data-id"), "1");
    assert.equal(await text(page.getByTestId("library-filter-people")), "Barack");
    assert.deepEqual((await fake("libraryCalls")).at(-1).filter.people, [1]);

    // Add Joe: any of them, then all of them.
    await page.getByTestId("library-filter-people").click();
    const options = page.getByTestId("people-option");
    assert.deepEqual(await options.evaluateAll((els) => els.map((el) => el.textContent.trim().split(/\s+/)[0])), [
      "Barack",
      "Joe",
    ]);
    await options.filter({ hasText: "Joe" }).click();
    await eventually(async () => assert.equal(await tiles(page).count(), 5));
    assert.equal(await text(page.getByTestId("library-filter-people")), "Barack + 1");
    await screenshot(page, "library-people-filter-light");
    await page.getByTestId("library-people-all").click();
    await page.getByTestId("library-filter-empty").waitFor();
    assert.deepEqual((await fake("libraryCalls")).length > 0, true);
    await page.keyboard.press("Escape");
    await page.getByTestId("library-people-menu").waitFor({ state: "detached" });
    await page.getByTestId("library-filter-clear").click();
    await eventually(async () => assert.equal(await tiles(page).count(), ITEMS.length));
  });

  it("outlines the faces in the viewer and names them there", async () => {
    const { page, fake } = await open({
      core: {
        library: { items: ITEMS },
        faces: { installed: true, analysed: 8, people: [{ id: 1, name: "Barack" }, { id: 2, name: "Joe" }], faces: FACES },
      },
    });
    await page.getByTestId("nav-library").click();
    await page.locator('[data-testid="library-tile"][data-id="6"]').click();
    const image = page.getByTestId("viewer-image");
    await eventually(async () => assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0)));
    const boxes = page.getByTestId("face-box");
    await eventually(async () => assert.equal(await boxes.count(), 2));

    // Boxes sit on the picture, scaled from the fractions.
    const picture = await image.boundingBox();
    const big = await page.locator('[data-testid="face-box"][data-face="106"]').boundingBox();
    assert.ok(Math.abs(big.x - (picture.x + 0.15 * picture.width)) < 2, `left ${big.x} on ${JSON.stringify(picture)}`);
    assert.ok(Math.abs(big.y - (picture.y + 0.2 * picture.height)) < 2, `top ${big.y}`);
    assert.ok(Math.abs(big.width - 0.3 * picture.width) < 2, `width ${big.width}`);
    assert.equal(await text(page.locator('[data-testid="face-box"][data-face="107"]')), "Joe");
    assert.equal(await text(page.locator('[data-testid="face-box"][data-face="106"]')), "");
    await screenshot(page, "viewer-faces-light");

    // "This is…" a new name on a face of nobody: a reference photo of a new person.
    await page.locator('[data-testid="face-box"][data-face="106"]').click();
    await page.getByTestId("face-menu").waitFor();
    await screenshot(page, "viewer-face-menu-light");
    await page.getByTestId("face-menu-name").fill("Michelle");
    await page.getByTestId("face-menu-name").press("Enter");
    await page.getByTestId("face-menu").waitFor({ state: "detached" });
    await eventually(async () =>
      assert.equal(await text(page.locator('[data-testid="face-box"][data-face="106"]')), "Michelle"),
    );

    // "Not this person" on Joe's face.
    await page.locator('[data-testid="face-box"][data-face="107"]').click();
    await page.getByTestId("face-menu-reject").click();
    await eventually(async () => assert.equal(await text(page.locator('[data-testid="face-box"][data-face="107"]')), ""));
    assert.deepEqual((await fake("facesCalls")).map((c) => c.cmd), ["face_name", "face_reject"]);
    assert.deepEqual((await fake("facesCalls"))[0], { cmd: "face_name", name: "Michelle", faceId: 106 });

    // The boxes hide and come back (the button, then F); Esc still closes the viewer.
    await page.getByTestId("viewer-faces-toggle").click();
    await eventually(async () => assert.equal(await boxes.count(), 0));
    await page.getByTestId("viewer").focus();
    await page.keyboard.press("f");
    await eventually(async () => assert.equal(await boxes.count(), 2));
    await page.keyboard.press("Escape");
    await page.getByTestId("viewer").waitFor({ state: "detached" });
  });

  it("labels the faces job in the status bar and saves the Faces settings", async () => {
    const { page, fake } = await open({ colorScheme: "dark", core: { settings: { theme: "system" } } });
    await fake("emit", "library-progress-event", { job: "faces", done: 3, total: 10, running: true, paused: false });
    const status = page.getByTestId("status-library");
    await eventually(async () => assert.equal(await text(status), "Finding faces 3/10"));
    await page.getByTestId("status-library-pause").click();
    await eventually(async () => assert.equal(await text(status), "Finding faces 3/10 · paused"));
    assert.deepEqual((await fake("libraryCalls")).at(-1), { cmd: "library_set_paused", paused: true });
    await status.click();
    await page.getByTestId("people-empty").waitFor();
    assert.equal(await page.getByTestId("nav-people").getAttribute("aria-current"), "page");
    await screenshot(page, "people-no-models-dark");
    await fake("emit", "library-progress-event", { job: "faces", done: 10, total: 10, running: false, paused: false });
    await eventually(async () => assert.equal(await status.count(), 0));

    await page.getByTestId("nav-settings").click();
    const minFaces = page.getByTestId("settings-faces-min-faces");
    await minFaces.waitFor();
    assert.equal(await minFaces.inputValue(), "2");
    assert.equal(await page.getByTestId("settings-faces-detector-side").inputValue(), "640");
    await minFaces.fill("0");
    await page.getByTestId("settings-save").click();
    await eventually(async () =>
      assert.equal(
        await page.locator('[data-testid="settings-field-error"]').getAttribute("data-field"),
        "faces.minFaces",
      ),
    );
    assert.equal(await minFaces.getAttribute("aria-invalid"), "true");
    await minFaces.fill("3");
    await page.getByTestId("settings-faces-detector-side").selectOption("960");
    await page.getByTestId("settings-faces-threads").fill("2");
    await page.getByTestId("settings-faces-models-url").fill(" https://mirror.example/models/ ");
    await page.getByTestId("settings-save").click();
    await eventually(async () => assert.equal(await text(page.getByTestId("settings-message")), "Saved"));
    assert.deepEqual((await fake("calls", "update_settings")).at(-1).args.settings.faces, {
      threads: 2,
      minFaces: 3,
      detectorSide: 960,
      modelsUrl: "https://mirror.example/models/",
    });
    await page.getByTestId("settings-faces-models-url").scrollIntoViewIfNeeded();
    await screenshot(page, "settings-faces-dark");
  });
});
