import { describe, expect, it } from "vitest";
import { BlockOffsets, isScaled, MAX_PHYSICAL_HEIGHT, physicalHeight, toPhysical, toVirtual } from "./scrollMap";

const VIEWPORT = 600;

describe("scroll position ↔ content position", () => {
  it("is the identity while the content fits under the cap", () => {
    const content = 2_000_000;
    expect(isScaled(content)).toBe(false);
    expect(physicalHeight(content)).toBe(content);
    for (const top of [0, 1234, 999_400, content - VIEWPORT]) {
      expect(toVirtual(top, VIEWPORT, content)).toBeCloseTo(top);
      expect(toPhysical(top, VIEWPORT, content)).toBeCloseTo(top);
    }
  });

  it("maps a capped spacer onto the whole content, both ends included", () => {
    // A million items at six a row, 164 px a row.
    const content = Math.ceil(1_000_000 / 6) * 164;
    expect(content).toBeGreaterThan(16_700_000);
    expect(isScaled(content)).toBe(true);
    const spacer = physicalHeight(content);
    expect(spacer).toBe(MAX_PHYSICAL_HEIGHT);
    expect(toVirtual(0, VIEWPORT, content)).toBe(0);
    // The bottom of the scroll range shows the last row.
    expect(toVirtual(spacer - VIEWPORT, VIEWPORT, content)).toBe(content - VIEWPORT);
    // Beyond the range (overscroll) clamps.
    expect(toVirtual(spacer + 50, VIEWPORT, content)).toBe(content - VIEWPORT);
    // The middle is the middle.
    const half = toVirtual((spacer - VIEWPORT) / 2, VIEWPORT, content);
    expect(half).toBeCloseTo((content - VIEWPORT) / 2);
  });

  it("round-trips every position", () => {
    const content = 40_000_000;
    for (const v of [0, 1, 123_456, 20_000_000, content - VIEWPORT]) {
      const p = toPhysical(v, VIEWPORT, content);
      expect(p).toBeLessThanOrEqual(MAX_PHYSICAL_HEIGHT - VIEWPORT);
      expect(toVirtual(p, VIEWPORT, content)).toBeCloseTo(v, 3);
    }
  });

  it("is zero when the content is shorter than the viewport", () => {
    expect(toVirtual(100, VIEWPORT, 300)).toBe(0);
    expect(toPhysical(100, VIEWPORT, 300)).toBe(0);
  });

  it("honours a smaller cap", () => {
    expect(physicalHeight(5000, 1000)).toBe(1000);
    expect(toVirtual(1000 - 100, 100, 5000, 1000)).toBe(4900);
  });
});

describe("BlockOffsets", () => {
  const offsets = new BlockOffsets([100, 200, 0, 50]);

  it("sums the blocks above each one", () => {
    expect(offsets.count).toBe(4);
    expect(offsets.total).toBe(350);
    expect(offsets.top(0)).toBe(0);
    expect(offsets.top(1)).toBe(100);
    expect(offsets.top(3)).toBe(300);
    expect(offsets.top(4)).toBe(350);
    expect(offsets.height(1)).toBe(200);
  });

  it("locates a position in its block, skipping empty ones", () => {
    expect(offsets.locate(0)).toEqual({ block: 0, offset: 0 });
    expect(offsets.locate(99.5)).toEqual({ block: 0, offset: 99.5 });
    expect(offsets.locate(100)).toEqual({ block: 1, offset: 0 });
    expect(offsets.locate(310)).toEqual({ block: 3, offset: 10 });
    expect(offsets.locate(-5)).toEqual({ block: 0, offset: 0 });
    expect(offsets.locate(1e9)).toEqual({ block: 3, offset: 50 });
    expect(new BlockOffsets([]).locate(10)).toEqual({ block: 0, offset: 0 });
  });

  it("handles 150k items' worth of blocks quickly", () => {
    const heights = new Array<number>(1500).fill(2700);
    const big = new BlockOffsets(heights);
    expect(big.locate(2700 * 1499 + 1)).toEqual({ block: 1499, offset: 1 });
  });
});
