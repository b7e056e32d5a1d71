import { describe, expect, it } from "vitest";
import { libraryItem } from "./fixtures";
import { ItemWindow } from "./itemWindow";

const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => libraryItem(from + i));

describe("ItemWindow", () => {
  it("finds loaded items by index and reports gaps", () => {
    const window = new ItemWindow();
    window.add(0, items(0, 10), "c10", {});
    window.add(50, items(50, 10), "c60", { to: 5 });
    expect(window.get(3)?.id).toBe(3);
    expect(window.get(55)?.id).toBe(55);
    expect(window.get(20)).toBeUndefined();
    expect(window.firstMissing(0, 10)).toBeNull();
    expect(window.firstMissing(0, 60)).toBe(10);
    expect(window.firstMissing(50, 70)).toBe(60);
    expect(window.has(50, 60)).toBe(true);
    expect(window.loadedCount).toBe(20);
  });

  it("pages forward from the segment that ends nearest before a gap", () => {
    const window = new ItemWindow();
    window.add(0, items(0, 10), "c10", {});
    window.add(50, items(50, 10), "c60", { to: 5 });
    expect(window.continuationFor(10, 0)?.cursor).toBe("c10");
    expect(window.continuationFor(12, 5)?.cursor).toBe("c10");
    expect(window.continuationFor(30, 5)).toBeUndefined();
    expect(window.continuationFor(60, 0)?.filter).toEqual({ to: 5 });
  });

  it("grows a segment with its next page and merges segments that meet", () => {
    const window = new ItemWindow();
    window.add(0, items(0, 10), "c10", {});
    window.add(20, items(20, 10), "c30", { to: 1 });
    window.add(10, items(10, 10), "c20", {});
    expect(window.segments).toHaveLength(1);
    expect(window.segments[0]?.items.map((i) => i.id)).toEqual(items(0, 30).map((i) => i.id));
    // The merged run continues where the later segment did.
    expect(window.segments[0]?.cursor).toBe("c30");
    expect(window.segments[0]?.filter).toEqual({ to: 1 });
  });

  it("lets a fresher page replace overlapping items", () => {
    const window = new ItemWindow();
    window.add(0, items(0, 10), "c10", {});
    window.add(5, [libraryItem(5, { name: "fresh" }), ...items(6, 9)], "c15", {});
    expect(window.segments).toHaveLength(1);
    expect(window.get(5)?.name).toBe("fresh");
    expect(window.get(14)?.id).toBe(14);
    expect(window.segments[0]?.cursor).toBe("c15");
  });

  it("removes binned items and moves later ones up", () => {
    const window = new ItemWindow();
    window.add(0, items(0, 10), "c10", {});
    window.add(50, items(50, 10), null, {});
    expect(window.remove(new Set([2, 3, 51]))).toBe(3);
    expect(window.get(2)?.id).toBe(4);
    expect(window.segments[1]?.start).toBe(48);
    expect(window.get(48)?.id).toBe(50);
    expect(window.get(49)?.id).toBe(52);
    expect(window.indexOf(52)).toBe(49);
    expect(window.indexOf(2)).toBe(-1);
  });

  it("replaces an edited item in place", () => {
    const window = new ItemWindow();
    window.add(0, items(0, 3), null, {});
    expect(window.replace(libraryItem(1, { tags: ["cat"] }))).toBe(true);
    expect(window.get(1)?.tags).toEqual(["cat"]);
    expect(window.replace(libraryItem(99))).toBe(false);
  });
});
