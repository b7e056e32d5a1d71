import { describe, expect, it } from "vitest";
import type { LibraryItemView, Outcome } from "$lib/ipc/api";
import { libraryItem } from "../library/fixtures";
import { DuplicatesStore, type DuplicatesApi } from "./duplicates.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

function fakeApi(groups: LibraryItemView[][]) {
  const state = { groups, removed: [] as number[][], distances: [] as (number | null)[] };
  const api: DuplicatesApi = {
    async libraryDuplicates() {
      return ok(state.groups.map((g) => g.filter((i) => !state.removed.flat().includes(i.id))).filter((g) => g.length > 1));
    },
    async librarySimilar(distance) {
      state.distances.push(distance);
      return ok([]);
    },
    async libraryRemove(ids) {
      if (ids.includes(666)) return { ok: false, error: { code: "PermissionDenied", message: "Read-only folder." } };
      state.removed.push(ids);
      return ok(ids);
    },
    async onLibraryChanged() {
      return ok(() => {});
    },
  };
  return { api, state };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("DuplicatesStore", () => {
  const groups = [
    [libraryItem(1, { size: 10 }), libraryItem(2, { size: 30 }), libraryItem(3, { size: 20 })],
    [libraryItem(4), libraryItem(5)],
  ];

  it("pre-selects the best copy and lets the user pick another", async () => {
    const { api } = fakeApi(groups);
    const store = new DuplicatesStore(api);
    await store.start();
    expect(store.groups).toHaveLength(2);
    expect(store.keep).toBe(2);
    store.choose(3);
    expect(store.keep).toBe(3);
    store.choose(99);
    expect(store.keep).toBe(3);
  });

  it("bins the others and moves on to the next group", async () => {
    const { api, state } = fakeApi(groups);
    const store = new DuplicatesStore(api);
    await store.start();
    store.choose(1);
    await store.keepSelected();
    expect(state.removed).toEqual([[2, 3]]);
    expect(store.group?.map((i) => i.id)).toEqual([4, 5]);
    await settle();
    expect(store.groups).toHaveLength(1);
    expect(store.index).toBe(0);
  });

  it("keeps the group and says why when the core refuses", async () => {
    const { api } = fakeApi([[libraryItem(1, { size: 99_999_999 }), libraryItem(666)]]);
    const store = new DuplicatesStore(api);
    await store.start();
    await store.keepSelected();
    expect(store.actionError?.message).toBe("Read-only folder.");
    expect(store.groups).toHaveLength(1);
  });

  it("asks for similar images at the chosen distance, clamped to 0–15", async () => {
    const { api, state } = fakeApi(groups);
    const store = new DuplicatesStore(api);
    await store.start();
    store.setTab("similar");
    await settle();
    store.setDistance(40);
    await settle();
    expect(state.distances).toEqual([8, 15]);
    expect(store.groups).toEqual([]);
  });

  it("steps between groups without running off either end", async () => {
    const { api } = fakeApi(groups);
    const store = new DuplicatesStore(api);
    await store.start();
    store.step(1);
    expect(store.index).toBe(1);
    store.step(1);
    expect(store.index).toBe(1);
    store.step(-5);
    expect(store.index).toBe(0);
  });
});
