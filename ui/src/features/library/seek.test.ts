import { describe, expect, it } from "vitest";
import type { LibraryFilter, MonthCount } from "$lib/ipc/api";
import { axisOf, planSeek, rangeFilter } from "./seek";
import { monthOf } from "./months";

type Item = { id: number; sortAt: number; size: number };

const DAY = 86_400_000;
const NEWEST = Date.UTC(2025, 2, 20);

/** 5000 items, one every 6 hours back from NEWEST (about 14 months), sizes all different. */
const ITEMS: Item[] = Array.from({ length: 5000 }, (_, i) => ({
  id: i + 1,
  sortAt: NEWEST - i * (DAY / 4),
  size: 1000 + ((i * 7919) % 5000) * 37,
}));

function matches(item: Item, f: LibraryFilter): boolean {
  return (
    (f.from == null || item.sortAt >= f.from) &&
    (f.to == null || item.sortAt < f.to) &&
    (f.minSize == null || item.size >= f.minSize) &&
    (f.maxSize == null || item.size <= f.maxSize)
  );
}

function months(items: Item[]): MonthCount[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(monthOf(item.sortAt), (counts.get(monthOf(item.sortAt)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => (a[0] < b[0] ? 1 : -1)).map(([month, count]) => ({ month, count }));
}

/** What the core's list would return first for a filter, and the order it sorts in. */
const ORDER = {
  newest: (a: Item, b: Item) => b.sortAt - a.sortAt || b.id - a.id,
  oldest: (a: Item, b: Item) => a.sortAt - b.sortAt || a.id - b.id,
  largest: (a: Item, b: Item) => b.size - a.size || b.id - a.id,
  smallest: (a: Item, b: Item) => a.size - b.size || a.id - b.id,
} as const;

function counter() {
  const calls: LibraryFilter[] = [];
  const count = async (filter: LibraryFilter) => {
    calls.push(filter);
    return ITEMS.filter((item) => matches(item, filter)).length;
  };
  return { calls, count };
}

describe("planSeek", () => {
  for (const sort of ["newest", "oldest", "largest", "smallest"] as const) {
    it(`finds a page that starts at most 400 items before the target (${sort})`, async () => {
      const sorted = [...ITEMS].sort(ORDER[sort]);
      for (const target of [0, 1, 399, 1234, 2500, 4999]) {
        const { count } = counter();
        const plan = await planSeek(target, sort, {}, months(ITEMS), count);
        expect(plan).not.toBeNull();
        if (plan === null) continue;
        expect(plan.start).toBeLessThanOrEqual(target);
        expect(target - plan.start).toBeLessThanOrEqual(400);
        // The page the plan's filter gives starts exactly at plan.start.
        const page = sorted.filter((item) => matches(item, plan.filter));
        expect(page[0]).toEqual(sorted[plan.start]);
      }
    });
  }

  it("uses the months alone when the target is near a month's start", async () => {
    const { calls, count } = counter();
    const spans = months(ITEMS);
    const first = spans[0]?.count ?? 0;
    const plan = await planSeek(first + 10, "newest", {}, spans, count);
    expect(calls).toHaveLength(0);
    expect(plan?.start).toBe(first);
    expect(plan?.filter.to).toBe(Date.UTC(2025, 2, 1));
  });

  it("keeps the user's own filter inside the bounds it adds", async () => {
    const base: LibraryFilter = { kinds: ["image"], from: Date.UTC(2024, 5, 1), to: Date.UTC(2025, 0, 1) };
    const narrowed = rangeFilter(base, "date", Date.UTC(2024, 0, 1), Date.UTC(2024, 8, 1));
    expect(narrowed).toEqual({ kinds: ["image"], from: Date.UTC(2024, 5, 1), to: Date.UTC(2024, 8, 1) });
    expect(rangeFilter({ maxSize: 100 }, "size", 10, 500)).toEqual({ minSize: 10, maxSize: 100 });
    expect(rangeFilter({}, "size", null, 500)).toEqual({ minSize: null, maxSize: 499 });
  });

  it("has no plan for the name sort or an unknown month", async () => {
    const { count } = counter();
    expect(axisOf("name")).toBeNull();
    expect(await planSeek(100, "name", {}, months(ITEMS), count)).toBeNull();
    expect(await planSeek(100, "newest", {}, [], count)).toBeNull();
  });

  it("stops where a count fails, with a start still before the target", async () => {
    const plan = await planSeek(2500, "largest", {}, [], async () => null);
    expect(plan).toEqual({ start: 0, filter: { minSize: null, maxSize: null } });
  });
});
