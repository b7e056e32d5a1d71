// Jumping far into the gallery (the scrubber, End, a drag of the scrollbar) without
// loading everything before the target. Pages are keyset-paged, so a page can only start
// where a filter makes the list start: for the date sorts that is a date (`to` for newest
// first, `from` for oldest first), for the size sorts a size. The months tell where each
// month starts; inside a month (or a size range) `libraryCount` narrows the bound by
// bisection until the page that starts there reaches the target.

import type { LibraryFilter, LibrarySort, MonthCount } from "$lib/ipc/api";
import { monthEnd, monthSpans, monthStart, spanAt } from "./months";

/** The key a sort orders by, and which way. Null for the name sort (no range filter). */
export type SeekAxis = { key: "date" | "size"; descending: boolean } | null;

export function axisOf(sort: LibrarySort): SeekAxis {
  switch (sort) {
    case "newest":
      return { key: "date", descending: true };
    case "oldest":
      return { key: "date", descending: false };
    case "largest":
      return { key: "size", descending: true };
    case "smallest":
      return { key: "size", descending: false };
    default:
      return null;
  }
}

/** Where a page starts (its first item's index) and the filter that makes it start there. */
export type SeekPlan = { start: number; filter: LibraryFilter };

export type CountFn = (filter: LibraryFilter) => Promise<number | null>;

const MAX_KEY = Number.MAX_SAFE_INTEGER;

/** The base filter narrowed to keys in [low, high) (either bound may be open: null). */
export function rangeFilter(base: LibraryFilter, key: "date" | "size", low: number | null, high: number | null): LibraryFilter {
  const max = (a: number | null | undefined, b: number | null) =>
    a === null || a === undefined ? b : b === null ? a : Math.max(a, b);
  const min = (a: number | null | undefined, b: number | null) =>
    a === null || a === undefined ? b : b === null ? a : Math.min(a, b);
  if (key === "date") return { ...base, from: max(base.from, low), to: min(base.to, high) };
  // Sizes are inclusive at both ends in the filter.
  return { ...base, minSize: max(base.minSize, low), maxSize: min(base.maxSize, high === null ? null : high - 1) };
}

/** A bound between `low` and `high`: halfway, or geometric while they are far apart (sizes span magnitudes). */
function between(low: number, high: number, geometric: boolean): number {
  if (geometric && high / Math.max(low, 1) > 16) return Math.floor(Math.sqrt(Math.max(low, 1) * high));
  return Math.floor(low + (high - low) / 2);
}

/**
 * A page start at or before `target`, within `close` items of it when the keys allow
 * (many items with one key cannot be split). Null when the sort has no range filter, or
 * a count failed: the caller then pages forward from what it has.
 */
export async function planSeek(
  target: number,
  sort: LibrarySort,
  base: LibraryFilter,
  months: readonly MonthCount[],
  count: CountFn,
  close = 400,
): Promise<SeekPlan | null> {
  const axis = axisOf(sort);
  if (axis === null) return null;
  if (target <= 0) return { start: 0, filter: base };

  // The bracket [low, high) of keys that holds the target, with the index of the first
  // item at its near end (`before`) — the start of the range in list order.
  let low: number;
  let high: number;
  let before: number;
  if (axis.key === "date") {
    const span = spanAt(monthSpans(months, !axis.descending), target);
    if (span === undefined) return null;
    low = monthStart(span.month);
    high = monthEnd(span.month);
    before = span.first;
  } else {
    low = Math.max(0, base.minSize ?? 0);
    high = Math.min(MAX_KEY, (base.maxSize ?? MAX_KEY - 1) + 1);
    before = 0;
  }
  const geometric = axis.key === "size";
  const [openLow, openHigh] = [low, high];

  // Newest/largest first: the range starts at `high`; a page filtered to keys < bound
  // starts at before + count([bound, high)). Oldest/smallest: mirrored.
  while (target - before > close && high - low > 1) {
    const bound = between(low, high, geometric);
    const part = axis.descending
      ? await count(rangeFilter(base, axis.key, bound, high))
      : await count(rangeFilter(base, axis.key, low, bound));
    if (part === null) break;
    if (before + part <= target) {
      before += part;
      if (axis.descending) high = bound;
      else low = bound;
    } else if (axis.descending) {
      low = bound;
    } else {
      high = bound;
    }
  }
  // A bound the bisection never moved from the size range's open end adds nothing.
  const filter = axis.descending
    ? rangeFilter(base, axis.key, null, axis.key === "size" && high === openHigh ? null : high)
    : rangeFilter(base, axis.key, axis.key === "size" && low === openLow ? null : low, null);
  return { start: before, filter };
}
