// Axes for the statistics plots: a value axis in binary units (ticks at 1, 2, 2.5 or 5 times a
// power of ten of KiB, MiB, GiB…, so the labels read as round figures) and the days of a
// range in local time.

export type Scale = {
  /** The top of the axis (≥ the largest value), in bytes (or bytes per second). */
  max: number;
  /** From 0 to `max`, evenly spaced. */
  ticks: number[];
};

const UNIT = 1024;

/**
 * A value axis from 0 that holds `max` with about `count` steps of a round size in the
 * unit `max` is written in. Nothing to show (0, negative, not a number) → 0..1 KiB.
 */
export function binaryScale(max: number, count = 4): Scale {
  if (!Number.isFinite(max) || max <= 0) return { max: UNIT, ticks: [0, UNIT / 2, UNIT] };
  let unit = 1;
  while (max / unit >= UNIT && unit < UNIT ** 6) unit *= UNIT;
  const value = max / unit;
  const rough = value / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalised = rough / magnitude;
  // 2.5 reads well in KiB and up (25.0 MiB), not as a step of bytes (2.5 B).
  const nices = unit === 1 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const nice = nices.find((n) => normalised <= n) ?? 10;
  // Whole bytes at least: a fraction of a byte is no step.
  const step = Math.max(nice * magnitude * unit, 1);
  const steps = Math.max(1, Math.ceil(max / step - 1e-9));
  return { max: step * steps, ticks: Array.from({ length: steps + 1 }, (_, i) => i * step) };
}

/** A local calendar day as the core names it: "2025-03-07". */
export function dayKey(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, "0");
  const day = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${month}-${day}`;
}

/** Local midnight of a day key (unix ms). */
export function dayStart(key: string): number {
  const [y, m, d] = key.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime();
}

/** The last `days` local days up to and including the day of `now`, oldest first. */
export function dayKeys(days: number, now: number): string[] {
  const today = new Date(now);
  const keys: string[] = [];
  for (let back = Math.max(1, Math.floor(days)) - 1; back >= 0; back--) {
    // Date arithmetic on the calendar, so a DST change never skips or repeats a day.
    keys.push(dayKey(new Date(today.getFullYear(), today.getMonth(), today.getDate() - back)));
  }
  return keys;
}

/** Which of `count` days get a label: every day for a week, every 5th for a month, every 15th beyond. */
export function labelEvery(count: number): number {
  return count <= 10 ? 1 : count <= 40 ? 5 : 15;
}

/** Indexes of the labelled days, counted back from the last (today is always labelled). */
export function labelledDays(count: number): number[] {
  const every = labelEvery(count);
  const indexes: number[] = [];
  for (let i = count - 1; i >= 0; i -= every) indexes.unshift(i);
  return indexes;
}

/** "7 Mar" in the user's locale. */
export function shortDay(key: string, locale?: string): string {
  return new Date(dayStart(key)).toLocaleDateString(locale, { day: "numeric", month: "short" });
}

/** "Fri 7 Mar 2025" in the user's locale. */
export function longDay(key: string, locale?: string): string {
  return new Date(dayStart(key)).toLocaleDateString(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
  });
}
