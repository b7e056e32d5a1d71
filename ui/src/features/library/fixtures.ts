// Library items for unit tests: every field present, as the core sends them.

import type { BinEntryView, LibraryItemView } from "$lib/ipc/api";

export function libraryItem(id: number, patch: Partial<LibraryItemView> = {}): LibraryItemView {
  return {
    id,
    path: `/home/user/Pictures/IMG_${String(id).padStart(4, "0")}.jpg`,
    name: `IMG_${String(id).padStart(4, "0")}.jpg`,
    size: 2_000_000 + id,
    kind: "image",
    mime: "image/jpeg",
    width: 4000,
    height: 3000,
    blake3: id.toString(16).padStart(64, "0"),
    postedAt: null,
    addedAt: 1_700_000_000_000 + id,
    sortAt: 1_700_000_000_000 + id,
    origin: "download",
    downloadId: null,
    taskId: null,
    url: null,
    platform: null,
    source: null,
    description: null,
    tags: [],
    mediaError: null,
    state: "present",
    ...patch,
  };
}

/** A bin entry; like the core's, it is named by its item's id. */
export function binEntry(id: number, patch: Partial<BinEntryView> = {}): BinEntryView {
  const item = libraryItem(id, { state: "binned" });
  return {
    id,
    originalPath: item.path,
    binPath: `/home/user/.local/share/haul/bin/${id}`,
    deletedAt: 1_700_000_000_000,
    purgeAt: 1_700_000_000_000 + 30 * 86_400_000,
    item,
    ...patch,
  };
}
