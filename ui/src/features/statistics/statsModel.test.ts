import { describe, expect, it } from "vitest";
import type { DayVolume, HistoryStats } from "$lib/ipc/api";
import { dayStart } from "./scale";
import {
  bucketHours,
  isEmptyHistory,
  platformLabel,
  speedOverTime,
  speedPaths,
  statisticsModel,
  topSourceBars,
  volumeByDay,
} from "./statsModel";

const MiB = 1024 * 1024;
const HOUR = 3_600_000;
const row = (day: string, origin: string, platform: string | null, files: number, bytes: number): DayVolume => ({
  day,
  origin,
  platform,
  files,
  bytes,
});

describe("volumeByDay", () => {
  const keys = ["2025-03-01", "2025-03-02", "2025-03-03"];
  const rows = [
    row("2025-03-01", "source", "reddit", 10, 30 * MiB),
    row("2025-03-01", "download", null, 1, 50 * MiB),
    row("2025-03-01", "source", "xenforo", 2, 10 * MiB),
    row("2025-03-03", "task", null, 3, 200 * MiB),
    row("2025-02-01", "download", null, 9, 999 * MiB), // outside the range
  ];

  it("stacks each day's origins in a fixed order: downloads, tasks, sources", () => {
    const { days } = volumeByDay(rows, keys);
    expect(days.map((d) => d.key)).toEqual(keys);
    expect(days[0]?.segments).toEqual([
      { origin: "download", bytes: 50 * MiB, files: 1, from: 0, to: 50 * MiB },
      { origin: "source", bytes: 40 * MiB, files: 12, from: 50 * MiB, to: 90 * MiB },
    ]);
    expect(days[0]).toMatchObject({ bytes: 90 * MiB, files: 13 });
  });

  it("keeps the days without files, empty", () => {
    const { days } = volumeByDay(rows, keys);
    expect(days[1]).toEqual({ key: "2025-03-02", bytes: 0, files: 0, segments: [], platforms: [] });
  });

  it("breaks each day and the range down by platform, most bytes first", () => {
    const volume = volumeByDay(rows, keys);
    expect(volume.days[0]?.platforms.map((p) => [p.label, p.bytes])).toEqual([
      ["direct", 50 * MiB],
      ["reddit", 30 * MiB],
      ["xenforo", 10 * MiB],
    ]);
    expect(volume.platforms.map((p) => p.label)).toEqual(["debrid", "direct", "reddit", "xenforo"]);
    expect(volume.origins).toEqual([
      { origin: "download", bytes: 50 * MiB, files: 1 },
      { origin: "task", bytes: 200 * MiB, files: 3 },
      { origin: "source", bytes: 40 * MiB, files: 12 },
    ]);
  });

  it("scales to the largest day", () => {
    expect(volumeByDay(rows, keys).scale.max).toBe(200 * MiB);
    expect(volumeByDay([], keys).scale.max).toBe(1024);
  });

  it("names what has no platform after how it came", () => {
    expect(platformLabel(null, "download")).toBe("direct");
    expect(platformLabel(null, "task")).toBe("debrid");
    expect(platformLabel("", "source")).toBe("other");
    expect(platformLabel("reddit", "source")).toBe("reddit");
  });
});

describe("speedOverTime", () => {
  const start = Date.UTC(2025, 2, 1);

  it("fills the hours without a point with 0, one bucket per hour over a week", () => {
    const speed = speedOverTime(
      [
        { at: start + 2 * HOUR, bytesPerSecond: 4 * MiB },
        { at: start + 5 * HOUR, bytesPerSecond: 2 * MiB },
      ],
      start,
      start + 7 * 24 * HOUR,
    );
    expect(speed.bucketHours).toBe(1);
    expect(speed.buckets).toHaveLength(168);
    expect(speed.buckets.slice(0, 7).map((b) => b.bytesPerSecond / MiB)).toEqual([0, 0, 4, 0, 0, 2, 0]);
    expect(speed.peak).toBe(4 * MiB);
    expect(speed.scale.max).toBe(4 * MiB);
  });

  it("averages whole hours into buckets over 90 days (about 360 points)", () => {
    expect(bucketHours(90 * 24)).toBe(6);
    const speed = speedOverTime(
      [
        { at: start, bytesPerSecond: 6 * MiB },
        { at: start + 3 * HOUR, bytesPerSecond: 6 * MiB },
      ],
      start,
      start + 90 * 24 * HOUR,
    );
    expect(speed.buckets).toHaveLength(360);
    expect(speed.buckets[0]).toEqual({ at: start, bytesPerSecond: 2 * MiB });
    expect(speed.buckets[1]?.at).toBe(start + 6 * HOUR);
  });

  it("takes a speed the core could not give (null) as nothing", () => {
    const speed = speedOverTime([{ at: start, bytesPerSecond: null }], start, start + 2 * HOUR);
    expect(speed.buckets.map((b) => b.bytesPerSecond)).toEqual([0, 0]);
    expect(isEmptyHistory({ days: [], speed: [{ at: start, bytesPerSecond: null }], topSources: [] })).toBe(true);
  });

  it("leaves out points outside the range", () => {
    const speed = speedOverTime([{ at: start - HOUR, bytesPerSecond: MiB }], start, start + 24 * HOUR);
    expect(speed.peak).toBe(0);
  });

  it("draws the line through the buckets' middles, the area down to the axis", () => {
    const speed = speedOverTime([{ at: start, bytesPerSecond: 1024 }], start, start + 2 * HOUR);
    const { line, area } = speedPaths(speed, 200, 100);
    expect(line).toBe("M50.0,0.0L150.0,100.0");
    expect(area).toBe("M50.0,0.0L150.0,100.0L150.0,100L50.0,100Z");
  });
});

describe("topSourceBars", () => {
  it("keeps the largest ten, largest first, each as a share of the axis", () => {
    const sources = Array.from({ length: 12 }, (_, i) => ({
      sourceId: i + 1,
      name: `Source ${i + 1}`,
      platform: "reddit",
      files: i,
      bytes: (i + 1) * 10 * MiB,
    }));
    const { bars, scale } = topSourceBars(sources);
    expect(bars).toHaveLength(10);
    expect(bars[0]?.sourceId).toBe(12);
    expect(scale.max).toBe(150 * MiB);
    expect(bars[0]?.share).toBeCloseTo(120 / 150);
  });
});

describe("statisticsModel", () => {
  const empty: HistoryStats = { days: [], speed: [], topSources: [] };

  it("knows a range with no history", () => {
    expect(isEmptyHistory(empty)).toBe(true);
    expect(isEmptyHistory({ ...empty, days: [row("2025-03-01", "download", null, 0, 0)] })).toBe(true);
    expect(isEmptyHistory({ ...empty, days: [row("2025-03-01", "download", null, 1, 10)] })).toBe(false);
  });

  it("spans the chosen days up to now", () => {
    const now = new Date(2025, 2, 7, 12, 0).getTime();
    const model = statisticsModel(empty, 7, now);
    expect(model.keys).toEqual(["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"]);
    expect(model.speed.start).toBe(dayStart("2025-03-01"));
    expect(model.speed.end).toBe(now);
    expect(model.volume.days).toHaveLength(7);
    expect(model.empty).toBe(true);
  });
});
