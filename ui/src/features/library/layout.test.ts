import { describe, expect, it } from "vitest";
import {
  aspectOf,
  estimateBlockHeight,
  justify,
  rowOf,
  TARGET_ROW_HEIGHT,
  TILE_GAP,
  verticalNeighbour,
} from "./layout";

const WIDTH = 900;

/** A deterministic mix of landscape, portrait and square pictures. */
function mixed(n: number): number[] {
  const shapes = [4 / 3, 3 / 4, 16 / 9, 1, 3 / 2, 2 / 3];
  return Array.from({ length: n }, (_, i) => shapes[(i * 7) % shapes.length] ?? 1);
}

describe("aspectOf", () => {
  it("is width over height, square when unknown, clamped for extreme strips", () => {
    expect(aspectOf({ width: 4000, height: 3000 })).toBeCloseTo(4 / 3);
    expect(aspectOf({ width: null, height: 300 })).toBe(1);
    expect(aspectOf({ width: 0, height: 0 })).toBe(1);
    expect(aspectOf({ width: 10000, height: 100 })).toBe(3);
    expect(aspectOf({ width: 100, height: 10000 })).toBe(0.4);
  });
});

describe("justify", () => {
  it("fills every row to the width, keeping each tile's aspect ratio", () => {
    const aspects = mixed(100);
    const layout = justify(aspects, WIDTH);
    expect(layout.rows.reduce((sum, row) => sum + row.count, 0)).toBe(100);
    for (const row of layout.rows) {
      const last = row.count - 1;
      expect((row.xs[last] ?? 0) + (row.widths[last] ?? 0)).toBeGreaterThanOrEqual(WIDTH - 1);
      expect((row.xs[last] ?? 0) + (row.widths[last] ?? 0)).toBeLessThanOrEqual(WIDTH + 1);
      for (let k = 0; k < row.count; k++) {
        const aspect = aspects[row.start + k] ?? 1;
        expect(Math.abs((row.widths[k] ?? 0) - aspect * row.height)).toBeLessThanOrEqual(1.5);
      }
      // Tiles never overlap and keep the gap.
      for (let k = 1; k < row.count; k++) {
        expect(row.xs[k]).toBeGreaterThanOrEqual((row.xs[k - 1] ?? 0) + (row.widths[k - 1] ?? 0) + TILE_GAP - 1);
      }
    }
  });

  it("keeps rows near the target height and stacks them with the gap", () => {
    const layout = justify(mixed(100), WIDTH);
    let top = 0;
    for (const row of layout.rows) {
      expect(row.top).toBe(top);
      expect(row.height).toBeGreaterThan(TARGET_ROW_HEIGHT * 0.7);
      expect(row.height).toBeLessThan(TARGET_ROW_HEIGHT * 1.4);
      top += row.height + TILE_GAP;
    }
    expect(layout.height).toBe(top);
  });

  it("lets the last row of the list stay short instead of stretching it", () => {
    const layout = justify([1, 1], WIDTH, { endOfList: true });
    expect(layout.rows).toHaveLength(1);
    expect(layout.rows[0]?.height).toBe(TARGET_ROW_HEIGHT);
    expect(layout.rows[0]?.widths).toEqual([160, 160]);
    // Mid-list, the same two items are stretched (capped) rather than left short.
    const stretched = justify([1, 1], WIDTH);
    expect(stretched.rows[0]?.height).toBeGreaterThan(TARGET_ROW_HEIGHT);
  });

  it("shows unknown dimensions as squares", () => {
    const layout = justify([1, 1, 1, 1, 1], 5 * 160 + 4 * TILE_GAP);
    expect(layout.rows).toHaveLength(1);
    expect(layout.rows[0]?.height).toBe(160);
    expect(new Set(layout.rows[0]?.widths)).toEqual(new Set([160]));
  });

  it("handles an empty block and a one-pixel width", () => {
    expect(justify([], WIDTH)).toEqual({ rows: [], height: 0 });
    const narrow = justify([1, 2, 0.5], 1);
    expect(narrow.rows.reduce((sum, row) => sum + row.count, 0)).toBe(3);
  });
});

describe("estimateBlockHeight", () => {
  it("is close to the real layout's height", () => {
    const aspects = mixed(100);
    const average = aspects.reduce((sum, a) => sum + a, 0) / aspects.length;
    const real = justify(aspects, WIDTH).height;
    const estimate = estimateBlockHeight(100, WIDTH, average);
    expect(Math.abs(estimate - real) / real).toBeLessThan(0.2);
    expect(estimateBlockHeight(0, WIDTH)).toBe(0);
  });
});

describe("rowOf and verticalNeighbour", () => {
  it("find an item's row and the nearest tile above or below it", () => {
    const layout = justify(mixed(40), WIDTH);
    const second = layout.rows[1];
    expect(second).toBeDefined();
    if (second === undefined) return;
    expect(rowOf(layout, second.start)).toBe(1);
    expect(rowOf(layout, 1000)).toBe(-1);
    const below = verticalNeighbour(layout, second.start, 1);
    expect(below).toBe(layout.rows[2]?.start);
    const above = verticalNeighbour(layout, second.start + second.count - 1, -1);
    const first = layout.rows[0];
    expect(above).toBe((first?.start ?? 0) + (first?.count ?? 0) - 1);
    expect(verticalNeighbour(layout, 0, -1)).toBeNull();
  });
});
