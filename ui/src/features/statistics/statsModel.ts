// What the Statistics page plots, from the core's `HistoryStats`: the speed over the range
// in even buckets (hours without transfers count as 0), the bytes of each day stacked by
// origin with the platforms behind them, and the top sources. Pure figures: the plots
// turn them into SVG.

import type { DayVolume, HistoryStats, SpeedPoint, TopSource } from "$lib/ipc/api";
import { binaryScale, dayKeys, dayStart, type Scale } from "./scale";

const HOUR_MS = 3_600_000;

/** The origins in stacking order (bottom first); the page colours them like the states. */
export const ORIGINS = ["download", "task", "source"] as const;
export type Origin = (typeof ORIGINS)[number];

export const ORIGIN_LABEL: Record<Origin, string> = {
  download: "Downloads",
  task: "Debrid tasks",
  source: "Sources",
};

/** A day's bytes from one origin, stacked: `from`..`to` in bytes from the axis. */
export type Segment = { origin: Origin; bytes: number; files: number; from: number; to: number };
export type Platform = { label: string; bytes: number; files: number };
export type Day = {
  key: string;
  bytes: number;
  files: number;
  segments: Segment[];
  /** Most bytes first. */
  platforms: Platform[];
};

export type Volume = { days: Day[]; scale: Scale; origins: { origin: Origin; bytes: number; files: number }[]; platforms: Platform[] };

function asOrigin(origin: string): Origin {
  return (ORIGINS as readonly string[]).includes(origin) ? (origin as Origin) : "download";
}

/** A platform's name; what has none is named after how it came (a plain link, a debrid task). */
export function platformLabel(platform: string | null, origin: string): string {
  if (platform !== null && platform.trim() !== "") return platform;
  return origin === "task" ? "debrid" : origin === "source" ? "other" : "direct";
}

function addPlatform(into: Map<string, Platform>, label: string, bytes: number, files: number): void {
  const known = into.get(label);
  if (known) {
    known.bytes += bytes;
    known.files += files;
  } else {
    into.set(label, { label, bytes, files });
  }
}

const byBytes = (a: Platform, b: Platform) => b.bytes - a.bytes || a.label.localeCompare(b.label);

/** Every day of the range (days with nothing are there, empty), stacked by origin, and the range's totals. */
export function volumeByDay(rows: readonly DayVolume[], keys: readonly string[]): Volume {
  const perDay = new Map<string, DayVolume[]>();
  for (const row of rows) perDay.set(row.day, [...(perDay.get(row.day) ?? []), row]);
  const originTotals = new Map<Origin, { bytes: number; files: number }>(ORIGINS.map((o) => [o, { bytes: 0, files: 0 }]));
  const allPlatforms = new Map<string, Platform>();

  const days = keys.map((key): Day => {
    const dayRows = perDay.get(key) ?? [];
    const platforms = new Map<string, Platform>();
    const segments: Segment[] = [];
    let stacked = 0;
    for (const origin of ORIGINS) {
      const mine = dayRows.filter((r) => asOrigin(r.origin) === origin);
      const bytes = mine.reduce((sum, r) => sum + Math.max(0, r.bytes), 0);
      const files = mine.reduce((sum, r) => sum + Math.max(0, r.files), 0);
      for (const r of mine) {
        const label = platformLabel(r.platform, r.origin);
        addPlatform(platforms, label, Math.max(0, r.bytes), Math.max(0, r.files));
        addPlatform(allPlatforms, label, Math.max(0, r.bytes), Math.max(0, r.files));
      }
      const total = originTotals.get(origin);
      if (total) {
        total.bytes += bytes;
        total.files += files;
      }
      if (bytes > 0 || files > 0) segments.push({ origin, bytes, files, from: stacked, to: stacked + bytes });
      stacked += bytes;
    }
    return {
      key,
      bytes: stacked,
      files: segments.reduce((sum, s) => sum + s.files, 0),
      segments,
      platforms: [...platforms.values()].sort(byBytes),
    };
  });

  return {
    days,
    scale: binaryScale(Math.max(0, ...days.map((d) => d.bytes))),
    origins: ORIGINS.map((origin) => ({ origin, ...(originTotals.get(origin) ?? { bytes: 0, files: 0 }) })),
    platforms: [...allPlatforms.values()].sort(byBytes),
  };
}

/** 10418 → "10,418 files" (in the user's locale), 1 → "1 file". */
export function fileCount(files: number): string {
  return `${files.toLocaleString()} ${files === 1 ? "file" : "files"}`;
}

export type SpeedBucket = { at: number; bytesPerSecond: number };
export type Speed = { start: number; end: number; bucketHours: number; buckets: SpeedBucket[]; scale: Scale; peak: number };

/** How many hours one plotted point stands for: about 360 points at most over the range. */
export function bucketHours(rangeHours: number): number {
  return Math.max(1, Math.ceil(rangeHours / 360));
}

/**
 * The speed from `start` to `end` in buckets of whole hours: each the mean of its hours'
 * averages, an hour without a point counting as 0 (nothing was transferred then).
 */
export function speedOverTime(points: readonly SpeedPoint[], start: number, end: number): Speed {
  const hours = Math.max(1, Math.ceil((end - start) / HOUR_MS));
  const size = bucketHours(hours);
  const count = Math.ceil(hours / size);
  const sums = new Array<number>(count).fill(0);
  for (const point of points) {
    // The core sends null for a figure JSON cannot hold (not a number): nothing known, 0.
    const speed = point.bytesPerSecond ?? 0;
    if (!(point.at >= start && point.at < end) || !Number.isFinite(speed)) continue;
    const index = Math.min(count - 1, Math.floor((point.at - start) / (size * HOUR_MS)));
    sums[index] = (sums[index] ?? 0) + Math.max(0, speed);
  }
  const buckets = sums.map((sum, i) => ({ at: start + i * size * HOUR_MS, bytesPerSecond: sum / size }));
  const peak = Math.max(0, ...buckets.map((b) => b.bytesPerSecond));
  return { start, end, bucketHours: size, buckets, scale: binaryScale(peak), peak };
}

/** The line and the area under it through the buckets' middles, in a `width` × `height` box (y down). */
export function speedPaths(speed: Speed, width: number, height: number): { line: string; area: string } {
  const span = Math.max(1, speed.end - speed.start);
  const x = (at: number) => ((at - speed.start) / span) * width;
  const y = (value: number) => height - (value / speed.scale.max) * height;
  const half = (speed.bucketHours * HOUR_MS) / 2;
  const coords = speed.buckets.map((b) => `${x(Math.min(speed.end, b.at + half)).toFixed(1)},${y(b.bytesPerSecond).toFixed(1)}`);
  if (coords.length === 0) return { line: "", area: "" };
  const line = `M${coords.join("L")}`;
  const first = coords[0]?.split(",")[0] ?? "0";
  const last = coords[coords.length - 1]?.split(",")[0] ?? "0";
  return { line, area: `${line}L${last},${height}L${first},${height}Z` };
}

export type SourceBar = TopSource & { share: number };

/** The top sources by bytes (at most `limit`), each with its share of the largest. */
export function topSourceBars(sources: readonly TopSource[], limit = 10): { bars: SourceBar[]; scale: Scale } {
  const sorted = [...sources].sort((a, b) => b.bytes - a.bytes || b.files - a.files || a.name.localeCompare(b.name)).slice(0, limit);
  const scale = binaryScale(Math.max(0, ...sorted.map((s) => s.bytes)));
  return { bars: sorted.map((s) => ({ ...s, share: scale.max > 0 ? Math.max(0, s.bytes) / scale.max : 0 })), scale };
}

/** Nothing was fetched in the range: the page explains instead of drawing empty axes. */
export function isEmptyHistory(stats: HistoryStats): boolean {
  return (
    stats.days.every((d) => d.files <= 0 && d.bytes <= 0) &&
    stats.speed.every((p) => (p.bytesPerSecond ?? 0) <= 0) &&
    stats.topSources.length === 0
  );
}

/** Everything the page draws for a range of `days` ending on the day of `now`. */
export function statisticsModel(stats: HistoryStats, days: number, now: number) {
  const keys = dayKeys(days, now);
  const start = dayStart(keys[0] ?? "1970-01-01");
  return {
    keys,
    volume: volumeByDay(stats.days, keys),
    speed: speedOverTime(stats.speed, start, Math.max(start + HOUR_MS, now)),
    top: topSourceBars(stats.topSources),
    empty: isEmptyHistory(stats),
  };
}

export type StatisticsModel = ReturnType<typeof statisticsModel>;
