// Pure logic of the transfer list: merging live progress into the stored list, counts,
// filtering and which actions a state allows. No Svelte, no IPC — unit-tested.

import { percentDone } from "$lib/format";
import type { DownloadState, DownloadView, TaskState, TransferProgress } from "$lib/ipc/api";

/** A download as the list shows it: the stored view plus the live figures. */
export type TransferRow = DownloadView & {
  bytesPerSecond: number;
  etaSeconds: number | null;
};

/** A row's state: a download's or a debrid task's (they share most names). */
export type TransferState = DownloadState | TaskState;

export const STATE_LABEL: Readonly<Record<TransferState, string>> = {
  queued: "Queued",
  active: "Downloading",
  resolving: "Resolving",
  selecting: "Choose files",
  downloading: "Downloading",
  paused: "Paused",
  verifying: "Verifying",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

const idle = new WeakMap<DownloadView, TransferRow>();

/** The row of a download without live progress; cached so unchanged rows keep identity. */
function idleRow(download: DownloadView): TransferRow {
  let row = idle.get(download);
  if (row === undefined) {
    row = { ...download, bytesPerSecond: 0, etaSeconds: null };
    idle.set(download, row);
  }
  return row;
}

/**
 * Overlays the latest snapshot on the stored list. The snapshot is newer for the figures
 * it carries; the next list refetch (triggered by the revision) settles everything else.
 */
export function mergeRows(
  downloads: readonly DownloadView[],
  progress: ReadonlyMap<number, TransferProgress>,
): TransferRow[] {
  return downloads.map((download) => mergeRow(download, progress));
}

/** One download with its live figures, if the snapshot has any (also a task file's download). */
export function mergeRow(
  download: DownloadView,
  progress: ReadonlyMap<number, TransferProgress>,
): TransferRow {
  const live = progress.get(download.id);
  if (live === undefined) return idleRow(download);
  return {
    ...download,
    state: live.state,
    receivedBytes: live.receivedBytes,
    totalBytes: live.totalBytes ?? download.totalBytes,
    bytesPerSecond: live.state === "active" ? live.bytesPerSecond : 0,
    etaSeconds: live.state === "active" ? live.etaSeconds : null,
  };
}

export function indexProgress(transfers: readonly TransferProgress[]): Map<number, TransferProgress> {
  return new Map(transfers.map((t) => [t.id, t]));
}

export type StateCounts = Record<DownloadState, number>;

export function countStates(rows: readonly TransferRow[]): StateCounts {
  const counts: StateCounts = {
    queued: 0,
    active: 0,
    paused: 0,
    verifying: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const row of rows) counts[row.state] += 1;
  return counts;
}

export function totalSpeed(rows: readonly TransferRow[]): number {
  let sum = 0;
  for (const row of rows) if (row.state === "active") sum += row.bytesPerSecond;
  return sum;
}

/**
 * The speed of everything the snapshot carries: plain downloads and the downloads of
 * debrid tasks' files alike (the status bar's total).
 */
export function snapshotSpeed(progress: ReadonlyMap<number, TransferProgress>): number {
  let sum = 0;
  for (const live of progress.values()) if (live.state === "active") sum += live.bytesPerSecond;
  return sum;
}

/** Case-insensitive match on the file name; a blank query keeps every row. */
export function filterRows(rows: TransferRow[], query: string): TransferRow[] {
  return filterByName(rows, query, (row) => row.fileName);
}

/** Keeps the items whose name contains the query, ignoring case; a blank query keeps all. */
export function filterByName<T>(items: T[], query: string, nameOf: (item: T) => string): T[] {
  const needle = query.trim().toLocaleLowerCase();
  if (needle === "") return items;
  return items.filter((item) => nameOf(item).toLocaleLowerCase().includes(needle));
}

export type RowActions = {
  pause: boolean;
  resume: boolean;
  retry: boolean;
  cancel: boolean;
  /** Can change its place in the queue (Move up / Move down). */
  move: boolean;
};

export function actionsFor(state: DownloadState): RowActions {
  return {
    pause: state === "active" || state === "queued",
    resume: state === "paused",
    retry: state === "failed",
    cancel: state === "active" || state === "queued" || state === "paused",
    move: state === "queued" || state === "paused",
  };
}

/** Completed, failed and cancelled downloads have left the queue. */
export function isFinished(state: DownloadState): boolean {
  return state === "completed" || state === "failed" || state === "cancelled";
}

/** The first and last unfinished downloads of the list, which is in queue order. */
export type QueueEnds = { first: number | null; last: number | null };

export function queueEnds(rows: readonly { id: number; state: DownloadState }[]): QueueEnds {
  let first: number | null = null;
  let last: number | null = null;
  for (const row of rows) {
    if (isFinished(row.state)) continue;
    if (first === null) first = row.id;
    last = row.id;
  }
  return { first, last };
}

/**
 * Whether a row can move up or down: only queued and paused rows move, and only while
 * another unfinished download lies that way (the core orders unfinished downloads only).
 */
export function moveFor(
  row: { id: number; state: DownloadState },
  ends: QueueEnds,
): { up: boolean; down: boolean } {
  if (!actionsFor(row.state).move) return { up: false, down: false };
  return { up: ends.first !== row.id, down: ends.last !== row.id };
}

/** What the Pause all / Resume all buttons can do now (Resume all also retries failed ones). */
export function bulkActions(counts: StateCounts): { pauseAll: boolean; resumeAll: boolean } {
  return { pauseAll: counts.active + counts.queued > 0, resumeAll: counts.paused + counts.failed > 0 };
}

/** What Space does on the selected row. */
export function toggleFor(state: DownloadState): "pause" | "resume" | null {
  const actions = actionsFor(state);
  if (actions.pause) return "pause";
  if (actions.resume || actions.retry) return "resume";
  return null;
}

/** Whole percent for the progress bar; a completed download is 100 even without a size. */
export function rowPercent(row: TransferRow): number {
  return row.state === "completed" ? 100 : percentDone(row.receivedBytes, row.totalBytes);
}
