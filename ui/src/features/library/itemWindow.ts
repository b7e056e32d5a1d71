// The part of the gallery's list that is loaded: runs ("segments") of consecutive items at
// known positions, each remembering how to fetch what follows it (its page cursor and the
// filter the cursor belongs to). Jumps create new segments far down the list; paging
// forward grows a segment until it meets the next one and they merge. Plain (not
// reactive): 150k items stay plain objects; the store signals changes with a version.

import type { LibraryFilter, LibraryItemView } from "$lib/ipc/api";

export type Segment = {
  start: number;
  items: LibraryItemView[];
  /** The next page after this segment's end, or null at the end of the list. */
  cursor: string | null;
  filter: LibraryFilter;
};

const end = (segment: Segment): number => segment.start + segment.items.length;

export class ItemWindow {
  #segments: Segment[] = [];

  get segments(): readonly Segment[] {
    return this.#segments;
  }

  get loadedCount(): number {
    return this.#segments.reduce((sum, s) => sum + s.items.length, 0);
  }

  get(index: number): LibraryItemView | undefined {
    const segment = this.#segmentAt(index);
    return segment?.items[index - segment.start];
  }

  /** Whether every item in [from, to) is loaded. */
  has(from: number, to: number): boolean {
    return this.firstMissing(from, to) === null;
  }

  /** The first index in [from, to) that is not loaded, or null. */
  firstMissing(from: number, to: number): number | null {
    let at = from;
    for (const segment of this.#segments) {
      if (at >= to) return null;
      if (end(segment) <= at) continue;
      if (segment.start > at) return at;
      at = end(segment);
    }
    return at < to ? at : null;
  }

  /**
   * The segment to page forward from to reach `index`: one ending at or before it, at most
   * `reach` items short, that has a next page.
   */
  continuationFor(index: number, reach: number): Segment | undefined {
    let found: Segment | undefined;
    for (const segment of this.#segments) {
      if (segment.start > index) break;
      if (end(segment) <= index && index - end(segment) <= reach && segment.cursor !== null) found = segment;
    }
    return found;
  }

  /** Adds a page that starts at `start`; overlapping or touching segments merge (the page wins). */
  add(start: number, items: LibraryItemView[], cursor: string | null, filter: LibraryFilter): void {
    const pageEnd = start + items.length;
    // The common case: the next page of a segment.
    const previous = this.#segments.find((s) => end(s) === start);
    const next = this.#segments.find((s) => s !== previous && s.start <= pageEnd && end(s) >= start);
    if (previous !== undefined && next === undefined) {
      previous.items.push(...items);
      previous.cursor = cursor;
      previous.filter = filter;
      return;
    }
    const touching = this.#segments.filter((s) => s.start <= pageEnd && end(s) >= start);
    const rest = this.#segments.filter((s) => !touching.includes(s));
    const mergedStart = Math.min(start, ...touching.map((s) => s.start));
    const mergedEnd = Math.max(pageEnd, ...touching.map(end));
    const merged: LibraryItemView[] = new Array<LibraryItemView>(mergedEnd - mergedStart);
    for (const segment of touching) {
      for (let i = 0; i < segment.items.length; i++) {
        const item = segment.items[i];
        if (item !== undefined) merged[segment.start - mergedStart + i] = item;
      }
    }
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item !== undefined) merged[start - mergedStart + i] = item;
    }
    // Whoever reaches the merged end knows what follows it.
    const last = pageEnd >= mergedEnd ? { cursor, filter } : touching.find((s) => end(s) === mergedEnd);
    rest.push({
      start: mergedStart,
      items: merged,
      cursor: last?.cursor ?? null,
      filter: last?.filter ?? filter,
    });
    this.#segments = rest.sort((a, b) => a.start - b.start);
  }

  /** Forgets items (moved to the bin): later items move up, as they will in the core's list. */
  remove(ids: ReadonlySet<number>): number {
    let removed = 0;
    for (const segment of this.#segments) {
      segment.start -= removed;
      const kept = segment.items.filter((item) => !ids.has(item.id));
      removed += segment.items.length - kept.length;
      segment.items = kept;
    }
    this.#segments = this.#segments.filter((s) => s.items.length > 0);
    return removed;
  }

  /** Replaces an item by id (after an edit); false when it is not loaded. */
  replace(item: LibraryItemView): boolean {
    for (const segment of this.#segments) {
      const i = segment.items.findIndex((candidate) => candidate.id === item.id);
      if (i !== -1) {
        segment.items[i] = item;
        return true;
      }
    }
    return false;
  }

  /** The index of a loaded item, or -1. */
  indexOf(id: number): number {
    for (const segment of this.#segments) {
      const i = segment.items.findIndex((item) => item.id === id);
      if (i !== -1) return segment.start + i;
    }
    return -1;
  }

  #segmentAt(index: number): Segment | undefined {
    let low = 0;
    let high = this.#segments.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const segment = this.#segments[mid];
      if (segment === undefined) return undefined;
      if (index < segment.start) high = mid - 1;
      else if (index >= end(segment)) low = mid + 1;
      else return segment;
    }
    return undefined;
  }
}
