import { describe, expect, it } from "vitest";
import {
  countText,
  emptyFilters,
  excerpt,
  isFiltering,
  nearEnd,
  sameQuery,
  scrollTopFor,
  startOfDay,
  toHistoryQuery,
  virtualWindow,
} from "./historyModel";

describe("virtualWindow", () => {
  const base = { rowHeight: 32, overscan: 10, viewportHeight: 640 };

  it("draws the rows in view plus the overscan", () => {
    expect(virtualWindow({ ...base, scrollTop: 0, count: 100_000 })).toEqual({
      first: 0,
      last: 30,
      spacerHeight: 3_200_000,
      offset: 0,
      virtualTop: 0,
    });
    const middle = virtualWindow({ ...base, scrollTop: 32 * 5000 + 7, count: 100_000 });
    expect(middle.first).toBe(4990);
    expect(middle.last).toBe(5031);
    expect(middle.offset).toBe(4990 * 32);
  });

  it("never runs past the list's ends", () => {
    const end = virtualWindow({ ...base, scrollTop: 10_000_000, count: 1000 });
    expect(end.last).toBe(1000);
    expect(end.first).toBe(1000 - 20 - 10);
    expect(virtualWindow({ ...base, scrollTop: 0, count: 5 })).toMatchObject({ first: 0, last: 5 });
    expect(virtualWindow({ ...base, scrollTop: 50, count: 0 })).toMatchObject({ first: 0, last: 0, spacerHeight: 0 });
  });

  it("keeps the drawn window in the view when the height is capped", () => {
    const params = { ...base, count: 1_000_000, cap: 1_000_000 };
    const top = virtualWindow({ ...params, scrollTop: 0 });
    expect(top.spacerHeight).toBe(1_000_000);
    expect(top.first).toBe(0);
    const half = virtualWindow({ ...params, scrollTop: (1_000_000 - 640) / 2 });
    const middleRow = Math.floor(half.virtualTop / 32);
    expect(middleRow).toBeGreaterThan(499_000);
    expect(middleRow).toBeLessThan(501_000);
    // The row at the view's top is drawn at the scroll position.
    const topRowAt = half.offset + (middleRow - half.first) * 32 - (half.virtualTop - middleRow * 32);
    expect(topRowAt).toBeCloseTo((1_000_000 - 640) / 2, 5);
    const bottom = virtualWindow({ ...params, scrollTop: 1_000_000 });
    expect(bottom.last).toBe(1_000_000);
    expect(bottom.offset + (bottom.last - bottom.first) * 32).toBeCloseTo(1_000_000, 5);
  });

  it("scrolls a row to the top", () => {
    expect(scrollTopFor(10, 640, 32, 1000)).toBe(320);
    expect(scrollTopFor(999, 640, 32, 1000)).toBe(32_000 - 640);
    expect(scrollTopFor(0, 640, 32, 0)).toBe(0);
  });

  it("asks for more near the loaded end", () => {
    expect(nearEnd(130, 200, 60)).toBe(false);
    expect(nearEnd(140, 200, 60)).toBe(true);
  });
});

describe("filters", () => {
  it("make the first page's query", () => {
    expect(toHistoryQuery(emptyFilters())).toEqual({
      text: null,
      platform: null,
      origin: null,
      kind: null,
      since: null,
      cursor: null,
      limit: 200,
    });
    const query = toHistoryQuery({ text: "  lake ", platform: "reddit", origin: "source", kind: "image", since: "2026-03-01" });
    expect(query).toMatchObject({ text: "lake", platform: "reddit", origin: "source", kind: "image" });
    expect(query.since).toBe(new Date(2026, 2, 1).getTime());
  });

  it("know a real date", () => {
    expect(startOfDay("2026-02-30")).toBeNull();
    expect(startOfDay("")).toBeNull();
  });

  it("compare queries without their cursors", () => {
    const a = toHistoryQuery({ ...emptyFilters(), text: "x" });
    expect(sameQuery(a, { ...a, cursor: "123" })).toBe(true);
    expect(sameQuery(a, toHistoryQuery({ ...emptyFilters(), text: "x " }))).toBe(true);
    expect(sameQuery(a, toHistoryQuery({ ...emptyFilters(), text: "y" }))).toBe(false);
    expect(isFiltering(emptyFilters())).toBe(false);
    expect(isFiltering({ ...emptyFilters(), since: "2026-01-01" })).toBe(true);
  });
});

describe("rows", () => {
  it("excerpt the title or the caption on one line", () => {
    expect(excerpt({ title: null, caption: "A  lake\nat dawn" })).toBe("A lake at dawn");
    expect(excerpt({ title: "Title", caption: "Caption" })).toBe("Title");
    expect(excerpt({ title: "   ", caption: null })).toBe("");
    expect(excerpt({ title: "x".repeat(300), caption: null }, 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("count files", () => {
    expect(countText(null)).toBe("…");
    expect(countText(1)).toBe("1 file");
    expect(countText(0)).toBe("0 files");
  });
});
