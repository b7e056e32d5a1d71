// Pure logic of debrid tasks in the transfer list: one progress figure per task (the
// provider's while it works on the torrent, then the bytes of the task's own downloads),
// its files, counts and which actions a state allows. No Svelte, no IPC — unit-tested.

import type { CoreError, TaskState, TaskView, TransferProgress } from "$lib/ipc/api";
import { percentDone } from "$lib/format";
import { PROVIDER_LABEL } from "$lib/providers";
import { mergeRow, rowPercent, type StateCounts, type TransferRow } from "./model";

/** One file of a task as the expanded row shows it. */
export type TaskFileRow = {
  index: number;
  /** As the provider lists it, folders joined with "/". */
  path: string;
  /** The file's own name (the last part of the path). */
  name: string;
  /**
   * The folders between the torrent's own top folder (the task's name, shown on its row)
   * and the name, ending in "/"; "" for a file right in it.
   */
  folder: string;
  size: number;
  selected: boolean;
  /** Its download with live figures, once the task has started downloading it. */
  download: TransferRow | null;
  percent: number;
};

/** A task as the list shows it: the stored view plus the figures of its downloads. */
export type TaskRow = {
  id: number;
  task: TaskView;
  name: string;
  state: TaskState;
  providerLabel: string;
  /** The provider still has the torrent: the bar shows the provider's progress. */
  onProvider: boolean;
  totalBytes: number | null;
  receivedBytes: number;
  percent: number;
  /** No figure to show yet (the provider has not said how far it is). */
  indeterminate: boolean;
  /** The figure next to the bar: "AllDebrid 42%" on the provider, "62%" after. */
  progressText: string;
  bytesPerSecond: number;
  etaSeconds: number | null;
  files: TaskFileRow[];
  error: CoreError | null;
};

/** Newest first: a task just added appears at the top of the list. */
export function sortTasks(tasks: readonly TaskView[]): TaskView[] {
  return [...tasks].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

/** The top folder every file of a torrent is in ("Show S01/"), or "" when they are not. */
export function sharedRoot(paths: readonly string[]): string {
  const first = paths[0];
  const slash = first?.indexOf("/") ?? -1;
  if (first === undefined || slash === -1) return "";
  const root = first.slice(0, slash + 1);
  return paths.every((path) => path.startsWith(root)) ? root : "";
}

function splitPath(path: string, root: string): { folder: string; name: string } {
  const slash = path.lastIndexOf("/");
  if (slash === -1) return { folder: "", name: path };
  return { folder: path.slice(root.length, slash + 1), name: path.slice(slash + 1) };
}

function fileRow(
  file: TaskView["files"][number],
  root: string,
  progress: ReadonlyMap<number, TransferProgress>,
): TaskFileRow {
  const download = file.download === null ? null : mergeRow(file.download, progress);
  return {
    index: file.index,
    path: file.path,
    ...splitPath(file.path, root),
    size: file.size,
    selected: file.selected,
    download,
    percent: download === null ? 0 : rowPercent(download),
  };
}

/**
 * Whether the bar follows the provider: while the task waits for or sits on the provider,
 * and when it stopped there (paused, failed, cancelled) before any file downloaded.
 */
function followsProvider(task: TaskView, files: readonly TaskFileRow[]): boolean {
  if (task.state === "queued" || task.state === "resolving") return true;
  const stoppedEarly = task.state === "paused" || task.state === "failed" || task.state === "cancelled";
  return stoppedEarly && task.providerProgress !== null && files.every((f) => f.download === null);
}

/** Seconds left at a steady speed; unknown without a size or a speed. */
function etaOf(remaining: number | null, speed: number): number | null {
  if (remaining === null || speed <= 0) return null;
  return Math.max(0, remaining) / speed;
}

export function taskRow(task: TaskView, progress: ReadonlyMap<number, TransferProgress>): TaskRow {
  const root = sharedRoot(task.files.map((f) => f.path));
  const files = task.files.map((f) => fileRow(f, root, progress));
  const providerLabel = PROVIDER_LABEL[task.provider];
  const base = { id: task.id, task, name: task.name, state: task.state, providerLabel, files, error: task.error };

  if (followsProvider(task, files)) {
    const fraction = task.providerProgress;
    const percent = fraction === null ? 0 : Math.min(100, Math.max(0, Math.floor(fraction * 100)));
    const speed = task.state === "resolving" ? task.providerSpeed : 0;
    const remaining =
      task.totalBytes === null || fraction === null ? null : task.totalBytes * (1 - fraction);
    return {
      ...base,
      onProvider: true,
      totalBytes: task.totalBytes,
      receivedBytes: 0,
      percent,
      indeterminate: fraction === null && task.state === "resolving",
      progressText: fraction === null ? providerLabel : `${providerLabel} ${percent}%`,
      bytesPerSecond: speed,
      etaSeconds: etaOf(remaining, speed),
    };
  }

  // The task's downloads: the snapshot's figures are fresher than the stored total.
  let received = 0;
  let speed = 0;
  let selectedBytes = 0;
  let listedBytes = 0;
  for (const file of files) {
    listedBytes += file.size;
    if (!file.selected) continue;
    selectedBytes += file.size;
    if (file.download === null) continue;
    received += file.download.receivedBytes;
    if (file.download.state === "active") speed += file.download.bytesPerSecond;
  }
  received = Math.max(received, task.receivedBytes);
  // Like the core's own total: the chosen files, or all of them until some are chosen.
  const total = task.totalBytes ?? (selectedBytes > 0 ? selectedBytes : listedBytes > 0 ? listedBytes : null);
  const percent = task.state === "completed" ? 100 : percentDone(received, total);
  const downloading = task.state === "downloading";
  return {
    ...base,
    onProvider: false,
    totalBytes: total,
    receivedBytes: received,
    percent,
    indeterminate: false,
    progressText: `${percent}%`,
    bytesPerSecond: downloading ? speed : 0,
    etaSeconds: downloading ? etaOf(total === null ? null : total - received, speed) : null,
  };
}

export type TaskActions = {
  pause: boolean;
  resume: boolean;
  retry: boolean;
  cancel: boolean;
  /** The provider listed the files and waits for the user's choice. */
  chooseFiles: boolean;
};

export function taskActionsFor(state: TaskState): TaskActions {
  return {
    pause: state === "queued" || state === "resolving" || state === "downloading",
    resume: state === "paused",
    retry: state === "failed",
    cancel:
      state === "queued" ||
      state === "resolving" ||
      state === "selecting" ||
      state === "downloading" ||
      state === "paused",
    chooseFiles: state === "selecting",
  };
}

/** What Space does on a selected task. */
export function taskToggleFor(state: TaskState): "pause" | "resume" | "retry" | null {
  const actions = taskActionsFor(state);
  if (actions.pause) return "pause";
  if (actions.resume) return "resume";
  if (actions.retry) return "retry";
  return null;
}

/** What the status bar counts: downloads and tasks together. */
export type StatusCounts = {
  active: number;
  queued: number;
  paused: number;
  verifying: number;
  /** Tasks waiting for the user to choose their files. */
  choosing: number;
};

export function countTransfers(downloads: StateCounts, tasks: readonly { state: TaskState }[]): StatusCounts {
  const counts: StatusCounts = {
    active: downloads.active,
    queued: downloads.queued,
    paused: downloads.paused,
    verifying: downloads.verifying,
    choosing: 0,
  };
  for (const { state } of tasks) {
    if (state === "resolving" || state === "downloading") counts.active += 1;
    else if (state === "queued") counts.queued += 1;
    else if (state === "paused") counts.paused += 1;
    else if (state === "verifying") counts.verifying += 1;
    else if (state === "selecting") counts.choosing += 1;
  }
  return counts;
}

/** Ids of the downloads a task's files have (their live figures belong to the task now). */
export function fileDownloadIds(task: TaskView): number[] {
  const ids: number[] = [];
  for (const file of task.files) if (file.download !== null) ids.push(file.download.id);
  return ids;
}
