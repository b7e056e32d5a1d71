import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatDate,
  formatEta,
  formatRange,
  formatSize,
  formatSpeed,
  percentDone,
  plural,
} from "./format";

describe("formatBytes", () => {
  it("prints whole bytes below one KiB", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1)).toBe("1 B");
    expect(formatBytes(1023)).toBe("1023 B");
  });

  it("uses binary units with one decimal", () => {
    expect(formatBytes(1024)).toBe("1.0 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(48 * 1024 ** 2)).toBe("48.0 MiB");
    expect(formatBytes(5.8 * 1024 ** 3)).toBe("5.8 GiB");
    expect(formatBytes(2 * 1024 ** 4)).toBe("2.0 TiB");
  });

  it("moves to the next unit when rounding would print 1024.0", () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe("1.0 MiB");
    expect(formatBytes(1024 ** 3 - 1024)).toBe("1.0 GiB");
    expect(formatBytes(1023.94 * 1024)).toBe("1023.9 KiB");
  });

  it("stops at the largest unit", () => {
    expect(formatBytes(2048 * 1024 ** 6)).toBe("2048.0 EiB");
  });

  it("refuses nonsense", () => {
    expect(formatBytes(-1)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe("—");
  });
});

describe("formatSize", () => {
  it("shows an unknown size as a dash", () => {
    expect(formatSize(null)).toBe("—");
    expect(formatSize(3 * 1024 ** 3)).toBe("3.0 GiB");
  });
});

describe("formatSpeed", () => {
  it("appends per second", () => {
    expect(formatSpeed(0)).toBe("0 B/s");
    expect(formatSpeed(12.3 * 1024 ** 2)).toBe("12.3 MiB/s");
    expect(formatSpeed(500)).toBe("500 B/s");
  });

  it("refuses nonsense", () => {
    expect(formatSpeed(-5)).toBe("—");
    expect(formatSpeed(Number.NaN)).toBe("—");
  });
});

describe("formatEta", () => {
  it("prints h:mm:ss", () => {
    expect(formatEta(0)).toBe("0:00:00");
    expect(formatEta(41)).toBe("0:00:41");
    expect(formatEta(61)).toBe("0:01:01");
    expect(formatEta(3725)).toBe("1:02:05");
    expect(formatEta(100 * 3600)).toBe("100:00:00");
  });

  it("rounds partial seconds up so it never shows 0:00:00 early", () => {
    expect(formatEta(0.2)).toBe("0:00:01");
    expect(formatEta(59.5)).toBe("0:01:00");
  });

  it("shows unknown as a dash", () => {
    expect(formatEta(null)).toBe("—");
    expect(formatEta(-1)).toBe("—");
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe("—");
  });
});

describe("percentDone", () => {
  it("floors to whole percent", () => {
    expect(percentDone(0, 100)).toBe(0);
    expect(percentDone(50, 100)).toBe(50);
    expect(percentDone(999, 1000)).toBe(99);
    expect(percentDone(1000, 1000)).toBe(100);
  });

  it("is 0 when the total is unknown or zero", () => {
    expect(percentDone(500, null)).toBe(0);
    expect(percentDone(500, 0)).toBe(0);
  });

  it("never exceeds 100", () => {
    expect(percentDone(2000, 1000)).toBe(100);
  });
});

describe("formatRange", () => {
  const MiB = 1024 ** 2;

  it("prints both ends in the unit of the end, one decimal", () => {
    expect(formatRange(12 * MiB, 24 * MiB)).toBe("12.0–24.0 MiB");
    expect(formatRange(0, 1.5 * 1024 ** 3)).toBe("0.0–1.5 GiB");
    expect(formatRange(512 * 1024, 2 * MiB)).toBe("0.5–2.0 MiB");
  });

  it("prints whole bytes for ranges below one KiB", () => {
    expect(formatRange(0, 512)).toBe("0–512 B");
  });

  it("refuses nonsense", () => {
    expect(formatRange(10, 5)).toBe("—");
    expect(formatRange(-1, 5)).toBe("—");
    expect(formatRange(0, Number.NaN)).toBe("—");
  });
});

describe("formatDate", () => {
  it("prints a unix time as a short date", () => {
    expect(formatDate(1_772_323_200, "en-GB")).toBe("1 Mar 2026");
    expect(formatDate(Number.NaN)).toBe("—");
  });
});

describe("plural", () => {
  it("counts with the right noun", () => {
    expect(plural(1, "file")).toBe("1 file");
    expect(plural(0, "file")).toBe("0 files");
    expect(plural(2, "match", "matches")).toBe("2 matches");
  });
});
