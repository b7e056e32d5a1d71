// The transfer list as one flat sequence of fixed-height lines, for the virtualised grid:
// tasks first (newest first), each followed by its files when expanded, then the plain
// downloads in queue order. Downloads keep the core's queue order unbroken, so Move up /
// Move down still read as moves in the list; tasks are few and recent, so they lead.

import type { TransferRow } from "./model";
import type { TaskFileRow, TaskRow } from "./tasks";

/**
 * A line's identity. Downloads and tasks have separate id spaces (download 1 and task 1
 * can both exist), so every key names its kind.
 */
export type RowKey = `download:${number}` | `task:${number}` | `file:${number}:${number}` | `note:${number}`;

export const downloadKey = (id: number): RowKey => `download:${id}`;
export const taskKey = (id: number): RowKey => `task:${id}`;

export type ListItem =
  | { kind: "task"; key: RowKey; row: TaskRow; expanded: boolean }
  | { kind: "file"; key: RowKey; task: TaskRow; file: TaskFileRow; last: boolean }
  /** An expanded task that has no files to show yet. */
  | { kind: "note"; key: RowKey; task: TaskRow; text: string }
  | { kind: "download"; key: RowKey; row: TransferRow };

/** The lines the keyboard can select: tasks and downloads (files belong to their task). */
export type SelectableItem = Extract<ListItem, { kind: "task" | "download" }>;

const downloadItems = new WeakMap<TransferRow, ListItem>();

/** Cached per row, so a list of 100k idle downloads is not rebuilt on every snapshot. */
function downloadItem(row: TransferRow): ListItem {
  let item = downloadItems.get(row);
  if (item === undefined) {
    item = { kind: "download", key: downloadKey(row.id), row };
    downloadItems.set(row, item);
  }
  return item;
}

function noFilesText(task: TaskRow): string {
  return task.state === "queued" || task.state === "resolving"
    ? `The files show once ${task.providerLabel} has read the torrent.`
    : "This task has no files.";
}

export function listItems(
  tasks: readonly TaskRow[],
  downloads: readonly TransferRow[],
  expanded: ReadonlySet<number>,
): ListItem[] {
  const items: ListItem[] = [];
  for (const task of tasks) {
    const open = expanded.has(task.id);
    items.push({ kind: "task", key: taskKey(task.id), row: task, expanded: open });
    if (!open) continue;
    if (task.files.length === 0) {
      items.push({ kind: "note", key: `note:${task.id}`, task, text: noFilesText(task) });
    }
    task.files.forEach((file, i) => {
      items.push({
        kind: "file",
        key: `file:${task.id}:${file.index}`,
        task,
        file,
        last: i === task.files.length - 1,
      });
    });
  }
  for (const row of downloads) items.push(downloadItem(row));
  return items;
}

export function isSelectable(item: ListItem | undefined): item is SelectableItem {
  return item !== undefined && (item.kind === "task" || item.kind === "download");
}

/**
 * Where the selection goes for a key press: `step` selectable lines on (files are
 * skipped), clamped to the ends; from no selection, down starts at the top and up at the
 * bottom. Null when nothing is selectable.
 */
export function stepSelection(
  items: readonly ListItem[],
  current: RowKey | null,
  step: number | "first" | "last",
): RowKey | null {
  const firstFrom = (start: number, direction: 1 | -1): RowKey | null => {
    for (let i = start; i >= 0 && i < items.length; i += direction) {
      const item = items[i];
      if (isSelectable(item)) return item.key;
    }
    return null;
  };
  if (step === "first") return firstFrom(0, 1);
  if (step === "last") return firstFrom(items.length - 1, -1);

  const at = current === null ? -1 : items.findIndex((item) => item.key === current);
  if (at === -1) return step >= 0 ? firstFrom(0, 1) : firstFrom(items.length - 1, -1);

  const direction = step >= 0 ? 1 : -1;
  let remaining = Math.abs(step);
  let landed = at;
  for (let i = at + direction; i >= 0 && i < items.length && remaining > 0; i += direction) {
    if (isSelectable(items[i])) {
      landed = i;
      remaining -= 1;
    }
  }
  return items[landed]?.key ?? null;
}

/** The line's position in the list, for scrolling it into view. */
export function indexOfKey(items: readonly ListItem[], key: RowKey): number {
  return items.findIndex((item) => item.key === key);
}

/** What a selectable key points at. */
export function parseKey(key: RowKey): { kind: "download" | "task"; id: number } | null {
  const [kind, id] = key.split(":");
  if (kind !== "download" && kind !== "task") return null;
  return { kind, id: Number(id) };
}
