import { describe, expect, it } from "vitest";
import { monthEnd, monthLabel, monthOf, monthSpans, monthStart, scrubberMarks, spanAt } from "./months";

const MONTHS = [
  { month: "2025-02", count: 10 },
  { month: "2025-01", count: 30 },
  { month: "2024-12", count: 60 },
];

describe("months", () => {
  it("converts between YYYY-MM and UTC milliseconds", () => {
    expect(monthStart("2024-12")).toBe(Date.UTC(2024, 11, 1));
    expect(monthEnd("2024-12")).toBe(Date.UTC(2025, 0, 1));
    expect(monthOf(Date.UTC(2024, 1, 29, 23, 59))).toBe("2024-02");
    expect(monthStart("december")).toBeNaN();
    expect(monthLabel("2024-03", "en-GB")).toBe("March 2024");
  });

  it("knows where each month starts, in either order", () => {
    const newest = monthSpans(MONTHS, false);
    expect(newest.map((s) => s.first)).toEqual([0, 10, 40]);
    const oldest = monthSpans(MONTHS, true);
    expect(oldest.map((s) => [s.month, s.first])).toEqual([
      ["2024-12", 0],
      ["2025-01", 60],
      ["2025-02", 90],
    ]);
    expect(spanAt(newest, 0)?.month).toBe("2025-02");
    expect(spanAt(newest, 39)?.month).toBe("2025-01");
    expect(spanAt(newest, 40)?.month).toBe("2024-12");
    expect(spanAt(newest, 1000)?.month).toBe("2024-12");
    expect(spanAt([], 3)).toBeUndefined();
  });

  it("marks months along the scrubber and labels years with room for them", () => {
    const marks = scrubberMarks(monthSpans(MONTHS, false), 100);
    expect(marks.map((m) => m.at)).toEqual([0, 0.1, 0.4]);
    expect(marks.map((m) => m.year)).toEqual(["2025", null, "2024"]);
    // A year starting too close to the last label goes unlabelled.
    const crowded = scrubberMarks(monthSpans(MONTHS, false), 100, 0.5);
    expect(crowded.map((m) => m.year)).toEqual(["2025", null, null]);
    expect(scrubberMarks([], 0)).toEqual([]);
  });
});
