import { describe, expect, it } from "vitest";
import { daysLeft, daysLeftLabel, isNearlyDue } from "./binModel";

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 2, 1, 12);

describe("days left in the bin", () => {
  it("rounds up to whole days", () => {
    expect(daysLeft(NOW + 30 * DAY, NOW)).toBe(30);
    expect(daysLeft(NOW + 1.2 * DAY, NOW)).toBe(2);
    expect(daysLeft(NOW + 1, NOW)).toBe(1);
  });

  it("is zero once due", () => {
    expect(daysLeft(NOW, NOW)).toBe(0);
    expect(daysLeft(NOW - 5 * DAY, NOW)).toBe(0);
    expect(daysLeft(Number.NaN, NOW)).toBe(0);
  });

  it("reads as days, or today in the last day", () => {
    expect(daysLeftLabel(NOW + 12 * DAY, NOW)).toBe("12 days");
    expect(daysLeftLabel(NOW + 1.5 * DAY, NOW)).toBe("2 days");
    expect(daysLeftLabel(NOW + DAY, NOW)).toBe("today");
    expect(daysLeftLabel(NOW + 3_600_000, NOW)).toBe("today");
    expect(daysLeftLabel(NOW - DAY, NOW)).toBe("today");
  });

  it("points out entries with three days or less", () => {
    expect(isNearlyDue(NOW + 3 * DAY, NOW)).toBe(true);
    expect(isNearlyDue(NOW + 4 * DAY, NOW)).toBe(false);
  });
});
