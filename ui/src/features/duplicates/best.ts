// Which copy of a duplicate group to keep by default: the highest resolution, then the
// largest file, then the oldest in the library (the one other things may already point at).

import type { LibraryItemView } from "$lib/ipc/api";

type Candidate = Pick<LibraryItemView, "id" | "width" | "height" | "size" | "addedAt">;

export function pixels(item: Pick<LibraryItemView, "width" | "height">): number {
  return item.width !== null && item.height !== null && item.width > 0 && item.height > 0 ? item.width * item.height : 0;
}

/** Negative when `a` is the better one to keep. */
export function compareForKeeping(a: Candidate, b: Candidate): number {
  return pixels(b) - pixels(a) || b.size - a.size || a.addedAt - b.addedAt || a.id - b.id;
}

export function bestItem<T extends Candidate>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || compareForKeeping(item, best) < 0) best = item;
  return best;
}

/** A group's identity across reloads: its members. */
export function groupKey(items: readonly Pick<LibraryItemView, "id">[]): string {
  return items
    .map((item) => item.id)
    .sort((a, b) => a - b)
    .join(",");
}

/** The ids a "keep this one" bins: every other member. */
export function othersThan(items: readonly Pick<LibraryItemView, "id">[], keep: number): number[] {
  return items.map((item) => item.id).filter((id) => id !== keep);
}
