import { describe, expect, it } from "vitest";
import { fromBytesPerSecond, toBytesPerSecond } from "./speedLimit";

describe("toBytesPerSecond", () => {
  it("converts the figure and unit to bytes per second", () => {
    expect(toBytesPerSecond(2, "MiB")).toBe(2_097_152);
    expect(toBytesPerSecond(512, "KiB")).toBe(524_288);
    expect(toBytesPerSecond(1.5, "MiB")).toBe(1_572_864);
    expect(toBytesPerSecond("3", "KiB")).toBe(3072);
    expect(toBytesPerSecond(0.3, "KiB")).toBe(307);
  });

  it("reads empty and 0 as unlimited", () => {
    expect(toBytesPerSecond(null, "MiB")).toBe(0);
    expect(toBytesPerSecond(undefined, "MiB")).toBe(0);
    expect(toBytesPerSecond("  ", "KiB")).toBe(0);
    expect(toBytesPerSecond(0, "MiB")).toBe(0);
  });

  it("refuses what is not a limit", () => {
    expect(toBytesPerSecond(-1, "MiB")).toBeNull();
    expect(toBytesPerSecond("fast", "MiB")).toBeNull();
    expect(toBytesPerSecond(Number.POSITIVE_INFINITY, "KiB")).toBeNull();
  });
});

describe("fromBytesPerSecond", () => {
  it("shows whole tenths of a MiB in MiB/s, the rest in KiB/s", () => {
    expect(fromBytesPerSecond(2_097_152)).toEqual({ value: 2, unit: "MiB" });
    expect(fromBytesPerSecond(1_572_864)).toEqual({ value: 1.5, unit: "MiB" });
    expect(fromBytesPerSecond(524_288)).toEqual({ value: 512, unit: "KiB" });
    expect(fromBytesPerSecond(1_000_000)).toEqual({ value: 976.6, unit: "KiB" });
  });

  it("shows unlimited as an empty field", () => {
    expect(fromBytesPerSecond(0)).toEqual({ value: null, unit: "MiB" });
  });

  it("round-trips what the form sends", () => {
    for (const [value, unit] of [
      [2, "MiB"],
      [750, "KiB"],
      [12.5, "MiB"],
    ] as const) {
      const shown = fromBytesPerSecond(toBytesPerSecond(value, unit) ?? -1);
      expect(shown).toEqual({ value, unit });
    }
  });
});
