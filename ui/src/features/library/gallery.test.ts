import { describe, expect, it } from "vitest";
import { libraryItem } from "./fixtures";
import { GalleryStore, PAGE_SIZE } from "./gallery.svelte";
import { testLibrary } from "./testLibrary";

const HOUR = 3_600_000;
const NEWEST = Date.UTC(2025, 5, 1);

/** n items, one every 3 hours back from NEWEST. */
function items(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const sortAt = NEWEST - i * 3 * HOUR;
    return libraryItem(i + 1, { sortAt, addedAt: sortAt, size: 1000 + ((i * 7919) % 10007) });
  });
}

/** Lets every pending request of the fake settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 300; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("GalleryStore", () => {
  it("opens on one person's photos, whatever was filtered before", () => {
    const { api } = testLibrary(items(10));
    const store = new GalleryStore(api);
    store.form = { ...store.form, name: "beach", kinds: ["video"], people: [3, 4], allPeople: true };
    store.showPerson(7);
    expect(store.form).toMatchObject({ name: "", kinds: [], people: [7], allPeople: false });
  });

  it("counts, then loads the first page for the top of the grid", async () => {
    const { api, state } = testLibrary(items(1200));
    const store = new GalleryStore(api);
    await store.start();
    store.want(0, 100);
    await settle();
    expect(store.total).toBe(1200);
    expect(store.item(0)?.id).toBe(1);
    expect(store.item(PAGE_SIZE - 1)?.id).toBe(PAGE_SIZE);
    expect(store.item(PAGE_SIZE)).toBeUndefined();
    expect(state.calls.filter((c) => c.startsWith("list"))).toHaveLength(1);
  });

  it("reaches the last of 20 000 items with a seek, not every page before it", async () => {
    const { api, state } = testLibrary(items(20_000));
    const store = new GalleryStore(api);
    await store.start();
    store.want(19_900, 20_000);
    await settle();
    expect(store.item(19_999)?.id).toBe(20_000);
    expect(store.item(19_900)?.id).toBe(19_901);
    const lists = state.calls.filter((c) => c.startsWith("list"));
    expect(lists.length).toBeLessThanOrEqual(2);
    expect(store.item(0)).toBeUndefined();
  });

  it("pages forward from what it has when the gap is short", async () => {
    const { api, state } = testLibrary(items(3000));
    const store = new GalleryStore(api);
    await store.start();
    store.want(0, 100);
    await settle();
    store.want(600, 700);
    await settle();
    expect(store.item(650)?.id).toBe(651);
    expect(state.calls.filter((c) => c.startsWith("count")).length).toBe(1);
    expect(state.calls.filter((c) => c.startsWith("list")).slice(-1)[0]).toMatch(/^list 500 /);
  });

  it("jumps by size for the size sorts and pages by name for the name sort", async () => {
    const all = items(5000);
    const { api } = testLibrary(all);
    const store = new GalleryStore(api);
    await store.start();
    store.setQuery({}, "largest");
    await settle();
    store.want(4000, 4100);
    await settle();
    const bySize = [...all].sort((a, b) => b.size - a.size || b.id - a.id);
    expect(store.item(4050)?.id).toBe(bySize[4050]?.id);

    store.setQuery({}, "name");
    await settle();
    store.want(4000, 4100);
    await settle();
    const byName = [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
    expect(store.item(4050)?.id).toBe(byName[4050]?.id);
  });

  it("starts over when the filter changes", async () => {
    const { api } = testLibrary(items(1000));
    const store = new GalleryStore(api);
    await store.start();
    store.want(0, 50);
    await settle();
    const epoch = store.epoch;
    store.setQuery({ name: "IMG_00" }, "newest");
    await settle();
    expect(store.epoch).toBeGreaterThan(epoch);
    expect(store.total).toBe(99);
    expect(store.item(0)?.name).toBe("IMG_0001.jpg");
  });

  it("takes binned items out at once and the next item moves up", async () => {
    const { api } = testLibrary(items(100));
    const store = new GalleryStore(api);
    await store.start();
    store.want(0, 100);
    await settle();
    const result = await store.remove([3]);
    expect(result.ok).toBe(true);
    expect(store.total).toBe(99);
    expect(store.item(2)?.id).toBe(4);
    await settle();
    expect(store.item(2)?.id).toBe(4);
  });

  it("reloads on a library change and keeps the loaded position", async () => {
    const { api, state } = testLibrary(items(5000));
    const store = new GalleryStore(api);
    await store.start();
    store.want(3000, 3100);
    await settle();
    state.items = state.items.filter((i) => i.id !== 1);
    state.emitChanged();
    await settle();
    expect(store.total).toBe(4999);
    expect(store.item(3000)?.id).toBe(3002);
    expect(store.item(3099)?.id).toBe(3101);
  });

  it("shows a saved edit in place", async () => {
    const { api } = testLibrary(items(10));
    const store = new GalleryStore(api);
    await store.start();
    store.want(0, 10);
    await settle();
    const result = await store.updateDetails(2, { postedAt: null, tags: ["cat"], description: "x" });
    expect(result.ok).toBe(true);
    expect(store.item(1)?.tags).toEqual(["cat"]);
    const refused = await store.updateDetails(2, { postedAt: null, tags: ["x".repeat(101)], description: null });
    expect(refused).toEqual({ ok: false, error: { code: "InvalidInput", message: "Tags are at most 100 characters." } });
  });
});
