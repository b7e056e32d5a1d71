import { describe, expect, it } from "vitest";
import type { BinEntryView, Outcome } from "$lib/ipc/api";
import { binEntry } from "../library/fixtures";
import { BinStore, type BinApi } from "./bin.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

function fakeApi(entries: BinEntryView[]) {
  const state = { entries, calls: [] as string[] };
  const api: BinApi = {
    async binList() {
      return ok([...state.entries]);
    },
    async binRestore(ids) {
      state.calls.push(`restore ${ids.join(",")}`);
      if (ids.includes(13)) return { ok: false, error: { code: "Io", message: "The folder is gone." } };
      state.entries = state.entries.filter((e) => !ids.includes(e.id));
      return ok(ids.map((id) => `/restored/${id}`));
    },
    async binPurge(ids) {
      state.calls.push(`purge ${ids.join(",")}`);
      state.entries = state.entries.filter((e) => !ids.includes(e.id));
      return ok(ids.length);
    },
    async binEmpty() {
      const n = state.entries.length;
      state.entries = [];
      return ok(n);
    },
    async onLibraryChanged() {
      return ok(() => {});
    },
  };
  return { api, state };
}

describe("BinStore", () => {
  it("selects rows like a file manager", async () => {
    const { api } = fakeApi([binEntry(10), binEntry(11), binEntry(12)]);
    const store = new BinStore(api);
    await store.start();
    store.select(0, { shift: false, toggle: false });
    store.select(2, { shift: true, toggle: false });
    expect(store.selectedIds).toEqual([10, 11, 12]);
    store.toggle(1);
    expect(store.selectedIds).toEqual([10, 12]);
    store.selectAll();
    expect(store.selectedIds).toHaveLength(3);
  });

  it("restores the selection and says so", async () => {
    const { api, state } = fakeApi([binEntry(10), binEntry(11)]);
    const store = new BinStore(api);
    await store.start();
    store.select(1, { shift: false, toggle: false });
    expect(await store.restore(store.selectedIds)).toBe(true);
    expect(state.calls).toEqual(["restore 11"]);
    expect(store.entries.map((e) => e.id)).toEqual([10]);
    expect(store.message).toBe("Restored 1 file.");
    expect(store.selectedIds).toEqual([]);
  });

  it("shows the core's refusal and keeps the entry", async () => {
    const { api } = fakeApi([binEntry(13)]);
    const store = new BinStore(api);
    await store.start();
    expect(await store.restore([13])).toBe(false);
    expect(store.actionError?.message).toBe("The folder is gone.");
    expect(store.entries).toHaveLength(1);
  });

  it("purges and empties", async () => {
    const { api } = fakeApi([binEntry(1), binEntry(2), binEntry(3)]);
    const store = new BinStore(api);
    await store.start();
    await store.purge([1]);
    expect(store.message).toBe("Deleted 1 file for good.");
    await store.empty();
    expect(store.entries).toEqual([]);
    expect(store.message).toBe("Emptied the bin (2 files).");
  });
});
