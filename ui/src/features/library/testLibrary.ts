// An in-memory library core for store tests: keyset paging, filters, counts and months
// as the real core answers them, and a log of the calls.

import type { LibraryFilter, LibraryItemView, LibraryQuery, MonthCount, Outcome } from "$lib/ipc/api";
import { monthOf } from "./months";
import type { GalleryApi } from "./gallery.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

function matches(item: LibraryItemView, f: LibraryFilter): boolean {
  return (
    (f.kinds == null || f.kinds.length === 0 || f.kinds.includes(item.kind)) &&
    (f.origins == null || f.origins.length === 0 || f.origins.includes(item.origin)) &&
    (f.from == null || item.sortAt >= f.from) &&
    (f.to == null || item.sortAt < f.to) &&
    (f.minSize == null || item.size >= f.minSize) &&
    (f.maxSize == null || item.size <= f.maxSize) &&
    (f.name == null || item.name.toLowerCase().includes(f.name.toLowerCase()))
  );
}

type Key = number | string;
const KEY: Record<string, (item: LibraryItemView) => Key> = {
  newest: (i) => i.sortAt,
  oldest: (i) => i.sortAt,
  largest: (i) => i.size,
  smallest: (i) => i.size,
  name: (i) => i.name,
};
const DESCENDING = new Set(["newest", "largest"]);

function compare(sort: string, a: LibraryItemView, b: LibraryItemView): number {
  const key = KEY[sort] ?? KEY.newest!;
  const [ka, kb] = [key(a), key(b)];
  const order = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
  return DESCENDING.has(sort) ? -order : order;
}

export function testLibrary(initial: LibraryItemView[]) {
  const state = {
    items: [...initial],
    calls: [] as string[],
    emitChanged: () => {},
  };
  const api: GalleryApi = {
    async libraryList(query: LibraryQuery) {
      const sort = query.sort ?? "newest";
      const filter = query.filter ?? {};
      state.calls.push(`list ${query.cursor ?? "-"} ${JSON.stringify(filter)}`);
      let list = state.items.filter((i) => matches(i, filter)).sort((a, b) => compare(sort, a, b));
      if (query.cursor) {
        const after = state.items.find((i) => i.id === Number(query.cursor));
        list = after === undefined ? [] : list.filter((i) => compare(sort, i, after) > 0);
      }
      const limit = query.limit ?? 200;
      const items = list.slice(0, limit);
      const last = items[items.length - 1];
      return ok({ items, nextCursor: items.length === limit && last ? String(last.id) : null });
    },
    async libraryCount(filter) {
      state.calls.push(`count ${JSON.stringify(filter)}`);
      return ok(state.items.filter((i) => matches(i, filter)).length);
    },
    async libraryMonths(filter) {
      const counts = new Map<string, number>();
      for (const item of state.items.filter((i) => matches(i, filter))) {
        counts.set(monthOf(item.sortAt), (counts.get(monthOf(item.sortAt)) ?? 0) + 1);
      }
      const months: MonthCount[] = [...counts.entries()]
        .sort((a, b) => (a[0] < b[0] ? 1 : -1))
        .map(([month, count]) => ({ month, count }));
      return ok(months);
    },
    async libraryUpdateDetails(id, details) {
      const item = state.items.find((i) => i.id === id);
      if (item === undefined) return { ok: false, error: { code: "NotFound", message: `No item ${id}.` } };
      if ((details.tags ?? []).some((t) => t.length > 100)) {
        return { ok: false, error: { code: "InvalidInput", message: "Tags are at most 100 characters." } };
      }
      Object.assign(item, { ...details, sortAt: details.postedAt ?? item.addedAt });
      return ok({ ...item });
    },
    async libraryRemove(ids) {
      state.calls.push(`remove ${ids.join(",")}`);
      state.items = state.items.filter((i) => !ids.includes(i.id));
      return ok([...ids]);
    },
    async libraryAddFolder(path) {
      state.calls.push(`add folder ${path}`);
      return ok({ folderId: 1, added: 0, updated: 0, unchanged: 0, removed: 0, failed: [] });
    },
    async onLibraryChanged(handler) {
      state.emitChanged = handler;
      return ok(() => {
        state.emitChanged = () => {};
      });
    },
  };
  return { api, state };
}
