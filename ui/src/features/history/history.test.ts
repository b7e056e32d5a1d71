import { describe, expect, it } from "vitest";
import type { HistoryEntry, HistoryPage, HistoryQuery, Outcome } from "$lib/ipc/api";
import { entry, searchPage } from "./fixtures";
import { HistoryStore, type HistoryApi } from "./history.svelte";
import { emptyFilters, toHistoryQuery } from "./historyModel";
import { HistoryPager } from "./historyPager";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

function many(count: number, patch: (id: number) => Partial<HistoryEntry> = () => ({})): HistoryEntry[] {
  return Array.from({ length: count }, (_, i) => entry(i + 1, patch(i + 1)));
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("HistoryPager", () => {
  it("continues from each page's cursor until there is none", () => {
    const all = many(450);
    const pager = new HistoryPager();
    const first = pager.reset(toHistoryQuery(emptyFilters()));
    expect(first.query.cursor).toBeNull();
    expect(pager.more()).toBeNull(); // one request at a time
    pager.accept(first, searchPage(all, first.query));
    expect(pager.entries.length).toBe(200);
    expect(pager.total).toBe(450);

    const second = pager.more();
    expect(second?.query.cursor).toBe("251");
    pager.accept(second!, searchPage(all, second!.query));
    const third = pager.more();
    pager.accept(third!, searchPage(all, third!.query));
    expect(pager.entries.length).toBe(450);
    expect(pager.entries[0]?.id).toBe(450);
    expect(pager.entries[449]?.id).toBe(1);
    expect(new Set(pager.entries.map((e) => e.id)).size).toBe(450);
    expect(pager.done).toBe(true);
    expect(pager.more()).toBeNull();
  });

  it("drops a page of an earlier query after a reset", () => {
    const all = many(300, (id) => ({ kind: id % 2 === 0 ? "video" : "image" }));
    const pager = new HistoryPager();
    const first = pager.reset(toHistoryQuery(emptyFilters()));
    pager.accept(first, searchPage(all, first.query));
    const next = pager.more()!;
    const videos = pager.reset(toHistoryQuery({ ...emptyFilters(), kind: "video" }));
    // The old query's next page arrives late: dropped.
    expect(pager.accept(next, searchPage(all, next.query))).toBe(false);
    expect(pager.accept(videos, searchPage(all, videos.query))).toBe(true);
    expect(pager.entries.every((e) => e.kind === "video")).toBe(true);
    expect(pager.total).toBe(150);
    expect(pager.done).toBe(true);
  });

  it("keeps what it showed until the new first page comes, and can ask a failed page again", () => {
    const all = many(300);
    const pager = new HistoryPager();
    const first = pager.reset(toHistoryQuery(emptyFilters()));
    pager.accept(first, searchPage(all, first.query));
    const next = pager.more()!;
    pager.fail(next);
    expect(pager.more()?.query.cursor).toBe(next.query.cursor);
    const again = pager.reset(toHistoryQuery(emptyFilters()));
    expect(pager.entries.length).toBe(200);
    pager.fail(again);
    expect(pager.entries).toEqual([]);
    expect(pager.total).toBeNull();
  });
});

function fakeApi(all: HistoryEntry[]) {
  const state = {
    all,
    queries: [] as HistoryQuery[],
    changed: () => {},
    hold: null as ReturnType<typeof deferred<void>> | null,
  };
  const api: HistoryApi = {
    async historySearch(query): Promise<Outcome<HistoryPage>> {
      state.queries.push(query);
      const hold = state.hold;
      if (hold) await hold.promise;
      return ok(searchPage(state.all, query));
    },
    async onHistoryChanged(handler) {
      state.changed = handler;
      return ok(() => {});
    },
  };
  return { api, state };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("HistoryStore", () => {
  it("loads the first page, then the next ones as asked, 200 at a time", async () => {
    const { api, state } = fakeApi(many(1000));
    const store = new HistoryStore(api);
    await store.start();
    expect(store.total).toBe(1000);
    expect(store.entries.length).toBe(200);
    await store.loadMore();
    await store.loadMore();
    expect(store.entries.length).toBe(600);
    expect(state.queries.map((q) => [q.cursor, q.limit])).toEqual([
      [null, 200],
      ["801", 200],
      ["601", 200],
    ]);
  });

  it("starts over when a filter changes, not when it stays the same", async () => {
    const { api, state } = fakeApi(many(500, (id) => ({ kind: id % 5 === 0 ? "video" : "image" })));
    const store = new HistoryStore(api);
    await store.start();
    await store.loadMore();
    await store.apply({ ...emptyFilters() });
    expect(state.queries.length).toBe(2);
    await store.apply({ ...emptyFilters(), kind: "video" });
    expect(state.queries[2]).toMatchObject({ kind: "video", cursor: null });
    expect(store.total).toBe(100);
    expect(store.entries.every((e) => e.kind === "video")).toBe(true);
    expect(store.hasMore).toBe(false);
  });

  it("shows only the newest filter's answer when answers cross", async () => {
    const { api, state } = fakeApi(many(50, (id) => ({ platform: id % 2 ? "reddit" : "x" })));
    const store = new HistoryStore(api);
    await store.start();
    state.hold = deferred<void>();
    const slow = store.apply({ ...emptyFilters(), platform: "reddit" });
    const hold = state.hold;
    state.hold = null;
    await store.apply({ ...emptyFilters(), platform: "x" });
    hold.resolve();
    await slow;
    expect(store.entries.every((e) => e.platform === "x")).toBe(true);
    expect(store.total).toBe(25);
    expect(store.loading).toBe(false);
  });

  it("reloads on new files at the top, and only says so further down", async () => {
    const { api, state } = fakeApi(many(300));
    const store = new HistoryStore(api);
    await store.start();
    state.all = many(305);
    state.changed();
    state.changed();
    state.changed();
    await settle();
    expect(store.total).toBe(305);
    expect(store.entries[0]?.id).toBe(305);
    expect(state.queries.length).toBeLessThanOrEqual(3);

    await store.loadMore();
    store.atTop = false;
    const asked = state.queries.length;
    state.all = many(310);
    state.changed();
    await settle();
    expect(state.queries.length).toBe(asked);
    expect(store.stale).toBe(true);
    await store.refresh();
    expect(store.stale).toBe(false);
    expect(store.entries[0]?.id).toBe(310);
    expect(store.entries.length).toBe(200);
  });

  it("stops asking after a failure until retried", async () => {
    const { api, state } = fakeApi(many(500));
    let failNext = false;
    const store = new HistoryStore({
      ...api,
      historySearch: async (query) => {
        if (failNext) {
          state.queries.push(query);
          return { ok: false, error: { code: "Database", message: "The database is locked." } };
        }
        return api.historySearch(query);
      },
    });
    await store.start();
    failNext = true;
    await store.loadMore();
    expect(store.error?.message).toBe("The database is locked.");
    const asked = state.queries.length;
    await store.loadMore();
    expect(state.queries.length).toBe(asked);
    failNext = false;
    await store.retry();
    expect(store.error).toBeNull();
    expect(store.entries.length).toBe(400);
  });
});
