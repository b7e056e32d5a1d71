// History entries as the core sends them, and a fake history_search over them, for tests.

import type { HistoryEntry, HistoryPage, HistoryQuery } from "$lib/ipc/api";

export function entry(id: number, patch: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id,
    finishedAt: 1_800_000_000_000 + id * 1000,
    origin: "source",
    platform: "reddit",
    sourceId: 1,
    mediaId: `m${id}`,
    postedAt: 1_790_000_000 + id,
    size: 1024 * id,
    kind: "image",
    blake3: null,
    url: `https://i.redd.it/${id}.jpg`,
    path: `/home/user/Downloads/reddit/${id}.jpg`,
    fileName: `${id}.jpg`,
    account: "someone",
    title: null,
    caption: `Photo ${id}`,
    ...patch,
  };
}

/** Newest first, keyset on the id, as the core pages them. */
export function searchPage(all: readonly HistoryEntry[], query: HistoryQuery): HistoryPage {
  const limit = Math.min(1000, Math.max(1, query.limit ?? 100));
  const before = query.cursor == null ? Infinity : Number(query.cursor);
  const matching = [...all]
    .filter((e) => (query.kind == null || e.kind === query.kind) && (query.platform == null || e.platform === query.platform))
    .filter((e) => query.text == null || e.fileName.includes(query.text) || (e.caption ?? "").includes(query.text))
    .sort((a, b) => b.id - a.id);
  const rows = matching.filter((e) => e.id < before).slice(0, limit);
  const last = rows[rows.length - 1];
  return { entries: rows, total: matching.length, next: rows.length === limit && last ? String(last.id) : null };
}
