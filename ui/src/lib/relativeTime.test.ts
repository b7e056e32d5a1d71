import { describe, expect, it } from "vitest";
import { timeAgo, timeUntil } from "./relativeTime";

const NOW = 1_800_000_000_000;
const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;

describe("timeAgo", () => {
  it("says minutes, hours, days, months and years", () => {
    expect(timeAgo(NOW - 5 * MIN, NOW)).toBe("5 min ago");
    expect(timeAgo(NOW - 5 * MIN - 59_000, NOW)).toBe("5 min ago");
    expect(timeAgo(NOW - 59 * MIN - 59_000, NOW)).toBe("59 min ago");
    expect(timeAgo(NOW - 60 * MIN, NOW)).toBe("1 h ago");
    expect(timeAgo(NOW - 3 * H - 10 * MIN, NOW)).toBe("3 h ago");
    expect(timeAgo(NOW - 23 * H - 40 * MIN, NOW)).toBe("1 day ago");
    expect(timeAgo(NOW - 2 * DAY, NOW)).toBe("2 days ago");
    expect(timeAgo(NOW - 90 * DAY, NOW)).toBe("3 months ago");
    expect(timeAgo(NOW - 800 * DAY, NOW)).toBe("2 years ago");
    expect(timeAgo(NOW - 400 * DAY, NOW)).toBe("1 year ago");
  });

  it("is 'just now' within the minute and for a clock slightly ahead", () => {
    expect(timeAgo(NOW, NOW)).toBe("just now");
    expect(timeAgo(NOW - 59_000, NOW)).toBe("just now");
    expect(timeAgo(NOW + 5_000, NOW)).toBe("just now");
  });

  it("says never for no time", () => {
    expect(timeAgo(null, NOW)).toBe("never");
    expect(timeAgo(null, NOW, "not yet")).toBe("not yet");
    expect(timeAgo(Number.NaN, NOW)).toBe("never");
  });
});

describe("timeUntil", () => {
  it("rounds minutes up", () => {
    expect(timeUntil(NOW + 42 * MIN, NOW)).toBe("in 42 min");
    expect(timeUntil(NOW + 41 * MIN + 10_000, NOW)).toBe("in 42 min");
    expect(timeUntil(NOW + 10_000, NOW)).toBe("in 1 min");
    expect(timeUntil(NOW + 59 * MIN + 30_000, NOW)).toBe("in 1 h");
  });

  it("says hours and days", () => {
    expect(timeUntil(NOW + 3 * H, NOW)).toBe("in 3 h");
    expect(timeUntil(NOW + 2 * DAY + H, NOW)).toBe("in 2 days");
    expect(timeUntil(NOW + DAY, NOW)).toBe("in 1 day");
  });

  it("is due once the time has come, and — without one", () => {
    expect(timeUntil(NOW, NOW)).toBe("due now");
    expect(timeUntil(NOW - 5 * MIN, NOW)).toBe("due now");
    expect(timeUntil(null, NOW)).toBe("—");
  });
});
