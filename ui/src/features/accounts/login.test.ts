import { describe, expect, it } from "vitest";
import { formatCountdown, nextPollDelay, secondsLeft } from "./login";

describe("secondsLeft", () => {
  it("counts whole seconds down to 0", () => {
    expect(secondsLeft(10_000, 0)).toBe(10);
    expect(secondsLeft(10_000, 9_001)).toBe(1);
    expect(secondsLeft(10_000, 10_000)).toBe(0);
    expect(secondsLeft(10_000, 12_000)).toBe(0);
  });
});

describe("formatCountdown", () => {
  it("prints m:ss, with hours when there are some", () => {
    expect(formatCountdown(605)).toBe("10:05");
    expect(formatCountdown(59)).toBe("0:59");
    expect(formatCountdown(0)).toBe("0:00");
    expect(formatCountdown(3725)).toBe("1:02:05");
  });
});

describe("nextPollDelay", () => {
  it("waits the provider's interval, never less than a second", () => {
    expect(nextPollDelay(5, 600_000, 0)).toBe(5_000);
    expect(nextPollDelay(0, 600_000, 0)).toBe(1_000);
    expect(nextPollDelay(Number.NaN, 600_000, 0)).toBe(1_000);
  });

  it("stops once the code has expired", () => {
    expect(nextPollDelay(5, 600_000, 600_000)).toBeNull();
    expect(nextPollDelay(5, 600_000, 599_000)).toBe(5_000);
  });
});
