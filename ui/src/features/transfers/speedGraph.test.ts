import { describe, expect, it } from "vitest";
import { niceCeiling, speedGraph } from "./speedGraph";

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe("niceCeiling", () => {
  it("rounds up to a round figure in the unit it prints in", () => {
    expect(niceCeiling(48.2 * MiB)).toBe(50 * MiB);
    expect(niceCeiling(6.4 * MiB)).toBe(8 * MiB);
    expect(niceCeiling(12.3 * MiB)).toBe(15 * MiB);
    expect(niceCeiling(100 * MiB)).toBe(100 * MiB);
    expect(niceCeiling(700 * KiB)).toBe(800 * KiB);
    expect(niceCeiling(1.1 * GiB)).toBe(1.5 * GiB);
  });

  it("never goes below 1 KiB/s", () => {
    expect(niceCeiling(0)).toBe(KiB);
    expect(niceCeiling(700)).toBe(KiB);
    expect(niceCeiling(Number.NaN)).toBe(KiB);
  });
});

describe("speedGraph", () => {
  const box = { windowMs: 1000, width: 100, height: 50 };

  it("draws the newest sample at the right edge and scales to the round top", () => {
    const g = speedGraph(
      [
        { t: 500, v: 0 },
        { t: 750, v: 4 * MiB },
        { t: 1000, v: 2 * MiB },
      ],
      box,
    );
    expect(g.max).toBe(4 * MiB);
    expect(g.line).toBe("M50 50L75 0L100 25");
    expect(g.area).toBe("M50 50L75 0L100 25L100 50L50 50Z");
    expect(g.span).toBe(500);
  });

  it("leaves out samples older than the window", () => {
    const g = speedGraph(
      [
        { t: 0, v: 100 * MiB },
        { t: 1500, v: 1 * MiB },
        { t: 2000, v: 1 * MiB },
      ],
      box,
    );
    expect(g.max).toBe(1 * MiB);
    expect(g.line).toBe("M50 0L100 0");
  });

  it("keeps headroom above the top figure", () => {
    const g = speedGraph(
      [
        { t: 900, v: 0 },
        { t: 1000, v: 4 * MiB },
      ],
      { ...box, headroom: 0.2 },
    );
    expect(g.line).toBe("M90 50L100 10");
  });

  it("draws nothing with fewer than two samples", () => {
    expect(speedGraph([], box)).toMatchObject({ line: "", area: "", max: KiB });
    expect(speedGraph([{ t: 5, v: 3 * MiB }], box)).toMatchObject({ line: "", area: "", max: 3 * MiB });
  });
});
