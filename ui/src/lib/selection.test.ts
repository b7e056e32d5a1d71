import { describe, expect, it } from "vitest";
import { clickSelect, keepPresent, NO_SELECTION } from "./selection";

const IDS = [10, 11, 12, 13, 14];
const idAt = (i: number) => IDS[i];
const plain = { shift: false, toggle: false };

describe("clickSelect", () => {
  it("selects one item on a plain click", () => {
    const s = clickSelect(NO_SELECTION, 2, idAt, plain);
    expect([...s.ids]).toEqual([12]);
    expect(s.anchor).toBe(2);
  });

  it("adds and takes away with Ctrl", () => {
    let s = clickSelect(NO_SELECTION, 1, idAt, plain);
    s = clickSelect(s, 3, idAt, { shift: false, toggle: true });
    expect([...s.ids].sort()).toEqual([11, 13]);
    s = clickSelect(s, 1, idAt, { shift: false, toggle: true });
    expect([...s.ids]).toEqual([13]);
  });

  it("selects the run from the anchor with Shift, either way", () => {
    const start = clickSelect(NO_SELECTION, 3, idAt, plain);
    expect([...clickSelect(start, 1, idAt, { shift: true, toggle: false }).ids].sort()).toEqual([11, 12, 13]);
    expect([...clickSelect(start, 4, idAt, { shift: true, toggle: false }).ids].sort()).toEqual([13, 14]);
    // Ctrl+Shift adds the run to what was selected.
    const more = clickSelect(clickSelect(start, 0, idAt, { shift: false, toggle: true }), 1, idAt, {
      shift: true,
      toggle: true,
    });
    expect([...more.ids].sort()).toEqual([10, 11, 13]);
  });

  it("skips positions that are not loaded and ignores a click on one", () => {
    const sparse = (i: number) => (i === 2 ? undefined : IDS[i]);
    const start = clickSelect(NO_SELECTION, 0, sparse, plain);
    expect([...clickSelect(start, 3, sparse, { shift: true, toggle: false }).ids].sort()).toEqual([10, 11, 13]);
    expect(clickSelect(start, 2, sparse, plain)).toBe(start);
  });

  it("forgets ids that left the list", () => {
    const s = { ids: new Set([1, 2, 3]), anchor: 0 };
    expect([...keepPresent(s, (id) => id !== 2).ids]).toEqual([1, 3]);
    expect(keepPresent(s, () => true)).toBe(s);
  });
});
