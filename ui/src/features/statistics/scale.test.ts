import { describe, expect, it } from "vitest";
import { binaryScale, dayKey, dayKeys, dayStart, labelledDays } from "./scale";

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe("binaryScale", () => {
  it("steps by round figures of the unit the largest value is written in", () => {
    expect(binaryScale(3.4 * GiB)).toEqual({ max: 4 * GiB, ticks: [0, GiB, 2 * GiB, 3 * GiB, 4 * GiB] });
    expect(binaryScale(48 * MiB)).toEqual({ max: 60 * MiB, ticks: [0, 20 * MiB, 40 * MiB, 60 * MiB] });
    expect(binaryScale(700)).toEqual({ max: 800, ticks: [0, 200, 400, 600, 800] });
    expect(binaryScale(86.4 * MiB)).toEqual({ max: 100 * MiB, ticks: [0, 25 * MiB, 50 * MiB, 75 * MiB, 100 * MiB] });
    // Never a step of 2.5 bytes.
    expect(binaryScale(9).ticks).toEqual([0, 5, 10]);
  });

  it("holds the largest value, exactly on a tick when it is one", () => {
    for (const max of [1, 999, 1024, 5 * MiB, 123_456_789, 17.5 * GiB]) {
      const scale = binaryScale(max);
      expect(scale.max).toBeGreaterThanOrEqual(max);
      expect(scale.ticks[0]).toBe(0);
      expect(scale.ticks[scale.ticks.length - 1]).toBe(scale.max);
      expect(scale.ticks.length).toBeLessThanOrEqual(6);
    }
    expect(binaryScale(2 * GiB).max).toBe(2 * GiB);
  });

  it("never steps by a fraction of a byte, and has an axis for nothing", () => {
    expect(binaryScale(0.3)).toEqual({ max: 1, ticks: [0, 1] });
    expect(binaryScale(0)).toEqual({ max: KiB, ticks: [0, KiB / 2, KiB] });
    expect(binaryScale(Number.NaN).max).toBe(KiB);
  });
});

describe("days", () => {
  it("lists the last N local days up to today, oldest first", () => {
    const now = new Date(2025, 2, 2, 15, 30).getTime(); // 2 March 2025, 15:30 local
    expect(dayKeys(3, now)).toEqual(["2025-02-28", "2025-03-01", "2025-03-02"]);
    expect(dayKeys(30, now)).toHaveLength(30);
    expect(dayKeys(30, now)[29]).toBe("2025-03-02");
  });

  it("goes between a key and its local midnight", () => {
    expect(dayKey(new Date(dayStart("2025-10-26")))).toBe("2025-10-26");
    expect(new Date(dayStart("2025-03-07")).getHours()).toBe(0);
  });

  it("labels every day of a week, every 5th of a month, every 15th of 90 days, always today", () => {
    expect(labelledDays(7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(labelledDays(30)).toEqual([4, 9, 14, 19, 24, 29]);
    expect(labelledDays(90)).toEqual([14, 29, 44, 59, 74, 89]);
  });
});
