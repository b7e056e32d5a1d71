// The History page's pure parts: the filters and the query they make, the virtual list's
// window (which rows to draw for a scroll position, scaled past what an element may be
// tall), and how a row reads (kind icon, excerpt, dates).

import { formatDate } from "$lib/format";
import type { HistoryEntry, HistoryQuery } from "$lib/ipc/api";
import type { IconName } from "$lib/ui/Icon.svelte";
import { isScaled, physicalHeight, toPhysical, toVirtual, MAX_PHYSICAL_HEIGHT } from "../library/scrollMap";
import { formatDateTime } from "../library/details";

/** Entries asked for per page. */
export const PAGE_SIZE = 200;
/** Rows of one line each (px); fixed, so the window is arithmetic. */
export const ROW_HEIGHT = 32;
/** Rows drawn above and below the view. */
export const OVERSCAN = 12;
/** The next page is asked for when the view's last row is this close to the loaded end. */
export const LOAD_AHEAD = 60;

export type HistoryFilters = {
  text: string;
  platform: string;
  origin: string;
  kind: string;
  /** yyyy-mm-dd (the date input's value); empty: any time. */
  since: string;
};

export const ORIGINS: readonly { value: string; label: string }[] = [
  { value: "download", label: "Downloads" },
  { value: "task", label: "Debrid tasks" },
  { value: "source", label: "Sources" },
];

export const KINDS: readonly { value: string; label: string }[] = [
  { value: "image", label: "Images" },
  { value: "video", label: "Videos" },
  { value: "audio", label: "Audio" },
  { value: "other", label: "Other" },
];

export function emptyFilters(): HistoryFilters {
  return { text: "", platform: "", origin: "", kind: "", since: "" };
}

/** Whether anything narrows the list (the empty state then says "no match"). */
export function isFiltering(filters: HistoryFilters): boolean {
  return (
    filters.text.trim() !== "" || filters.platform !== "" || filters.origin !== "" || filters.kind !== "" || filters.since !== ""
  );
}

/** Local midnight of a yyyy-mm-dd date (ms), or null when it is not one. */
export function startOfDay(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (match === null) return null;
  const [, y, m, d] = match;
  const at = new Date(Number(y), Number(m) - 1, Number(d));
  if (at.getFullYear() !== Number(y) || at.getMonth() !== Number(m) - 1 || at.getDate() !== Number(d)) return null;
  return at.getTime();
}

/** The query the filters make (without a cursor: the first page). */
export function toHistoryQuery(filters: HistoryFilters): HistoryQuery {
  const text = filters.text.trim();
  return {
    text: text === "" ? null : text,
    platform: filters.platform === "" ? null : filters.platform,
    origin: filters.origin === "" ? null : filters.origin,
    kind: filters.kind === "" ? null : filters.kind,
    since: startOfDay(filters.since),
    cursor: null,
    limit: PAGE_SIZE,
  };
}

/** Whether two queries ask for the same entries (the cursor aside). */
export function sameQuery(a: HistoryQuery, b: HistoryQuery): boolean {
  const keys = ["text", "platform", "sourceId", "origin", "kind", "since", "until", "limit"] as const;
  return keys.every((key) => (a[key] ?? null) === (b[key] ?? null));
}

export type VirtualWindow = {
  /** Rows [first, last) are drawn. */
  first: number;
  last: number;
  /** The scroller's content height (capped: see scrollMap). */
  spacerHeight: number;
  /** Where the first drawn row goes in the spacer (px). */
  offset: number;
  /** The top of the view in the unscaled list (px). */
  virtualTop: number;
};

/** Which rows a scroll position shows, and where they go. */
export function virtualWindow(params: {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  overscan: number;
  cap?: number;
}): VirtualWindow {
  const { rowHeight, overscan } = params;
  const count = Math.max(0, Math.floor(params.count));
  const cap = params.cap ?? MAX_PHYSICAL_HEIGHT;
  const viewport = Math.max(0, params.viewportHeight);
  const virtualHeight = count * rowHeight;
  const spacerHeight = physicalHeight(virtualHeight, cap);
  const scrollTop = Math.min(Math.max(0, params.scrollTop), Math.max(0, spacerHeight - viewport));
  const virtualTop = isScaled(virtualHeight, cap)
    ? toVirtual(scrollTop, viewport, virtualHeight, cap)
    : Math.min(scrollTop, Math.max(0, virtualHeight - viewport));
  const first = Math.max(0, Math.min(count, Math.floor(virtualTop / rowHeight) - overscan));
  const last = Math.max(first, Math.min(count, Math.ceil((virtualTop + viewport) / rowHeight) + overscan));
  return { first, last, spacerHeight, offset: scrollTop + first * rowHeight - virtualTop, virtualTop };
}

/** The scroll position that puts row `index` at the top of the view. */
export function scrollTopFor(index: number, viewportHeight: number, rowHeight: number, count: number, cap = MAX_PHYSICAL_HEIGHT): number {
  const virtualHeight = count * rowHeight;
  const top = Math.max(0, index) * rowHeight;
  return isScaled(virtualHeight, cap) ? toPhysical(top, viewportHeight, virtualHeight, cap) : Math.min(top, Math.max(0, virtualHeight - viewportHeight));
}

/** Whether the view is close enough to the loaded end to ask for the next page. */
export function nearEnd(last: number, loaded: number, ahead = LOAD_AHEAD): boolean {
  return last >= loaded - ahead;
}

/** The icon of an entry's kind. */
export function kindIcon(kind: string | null): IconName {
  return kind === "image" ? "image" : kind === "video" ? "video" : kind === "audio" ? "audio" : "file";
}

/** The title, else the caption, on one line and at most `max` characters. */
export function excerpt(entry: Pick<HistoryEntry, "title" | "caption">, max = 160): string {
  const text = (entry.title?.trim() || entry.caption?.trim() || "").replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** When it finished (ms) → "1 Mar 2026, 14:05". */
export function finishedText(entry: Pick<HistoryEntry, "finishedAt">, locale?: string): string {
  return formatDateTime(entry.finishedAt, locale);
}

/** When it was posted (Unix seconds) → "1 Mar 2026"; "—" when unknown. */
export function postedText(entry: Pick<HistoryEntry, "postedAt">, locale?: string): string {
  return entry.postedAt == null ? "—" : formatDate(entry.postedAt, locale);
}

/** "1 file", "12,345 files"; "…" until the first page came. */
export function countText(total: number | null): string {
  if (total === null) return "…";
  return `${total.toLocaleString()} ${total === 1 ? "file" : "files"}`;
}
