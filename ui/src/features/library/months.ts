// The library's months (`YYYY-MM`, UTC, as the core counts them): where each starts in
// the sorted list, and the date scrubber's marks.

import type { MonthCount } from "$lib/ipc/api";

const MONTH = /^(\d{4})-(\d{2})$/;

/** The first millisecond of a month (UTC); NaN for what is not `YYYY-MM`. */
export function monthStart(month: string): number {
  const match = MONTH.exec(month);
  if (match === null) return Number.NaN;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
}

/** The first millisecond after a month (UTC). */
export function monthEnd(month: string): number {
  const match = MONTH.exec(month);
  if (match === null) return Number.NaN;
  return Date.UTC(Number(match[1]), Number(match[2]), 1);
}

/** `YYYY-MM` (UTC) of a moment. */
export function monthOf(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** "March 2024". */
export function monthLabel(month: string, locale?: string): string {
  const start = monthStart(month);
  if (Number.isNaN(start)) return month;
  return new Date(start).toLocaleDateString(locale, { month: "long", year: "numeric", timeZone: "UTC" });
}

/** "Mar". */
export function shortMonthLabel(month: string, locale?: string): string {
  const start = monthStart(month);
  if (Number.isNaN(start)) return month;
  return new Date(start).toLocaleDateString(locale, { month: "short", timeZone: "UTC" });
}

/** A month in list order, with the number of items before it. */
export type MonthSpan = { month: string; count: number; first: number };

/**
 * The months in the order the list shows them (newest first, or oldest first when
 * `ascending`), each with the index of its first item.
 */
export function monthSpans(months: readonly MonthCount[], ascending: boolean): MonthSpan[] {
  const ordered = ascending ? [...months].reverse() : months;
  const spans: MonthSpan[] = [];
  let first = 0;
  for (const { month, count } of ordered) {
    spans.push({ month, count, first });
    first += count;
  }
  return spans;
}

/** The span that holds item `index` (the last one for an index past the end). */
export function spanAt(spans: readonly MonthSpan[], index: number): MonthSpan | undefined {
  let low = 0;
  let high = spans.length - 1;
  if (high < 0) return undefined;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((spans[mid]?.first ?? 0) <= index) low = mid;
    else high = mid - 1;
  }
  return spans[low];
}

export type ScrubberMark = {
  month: string;
  /** Where the month starts along the scrubber, 0 (top) … 1. */
  at: number;
  /** The year, on the first mark of a year that has room for its label. */
  year: string | null;
};

/**
 * The scrubber's marks: one per month at the position of its first item, and a year label
 * where a year starts, leaving out labels closer than `minGap` (a fraction) to the last one.
 */
export function scrubberMarks(spans: readonly MonthSpan[], total: number, minGap = 0.04): ScrubberMark[] {
  if (total <= 0) return [];
  const marks: ScrubberMark[] = [];
  let lastYear = "";
  let lastLabelAt = -Infinity;
  for (const span of spans) {
    const at = span.first / total;
    const year = span.month.slice(0, 4);
    let label: string | null = null;
    if (year !== lastYear) {
      lastYear = year;
      if (at - lastLabelAt >= minGap) {
        label = year;
        lastLabelAt = at;
      }
    }
    marks.push({ month: span.month, at, year: label });
  }
  return marks;
}
