// The select dialog's pure side: a task's flat file list as a folder tree, tri-state folder
// checkboxes, selection by glob pattern, and the "N files, X selected" total.

import { formatBytes, plural } from "$lib/format";

export type TreeFile = { index: number; path: string; size: number };

export type FileNode = { kind: "file"; index: number; path: string; name: string; size: number };

export type FolderNode = {
  kind: "folder";
  /** The folder's path with a trailing "/" ("" for the root). */
  path: string;
  name: string;
  folders: FolderNode[];
  files: FileNode[];
  /** Bytes of every file below it. */
  size: number;
  /** Indexes of every file below it. */
  indexes: number[];
};

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function folder(path: string, name: string): FolderNode {
  return { kind: "folder", path, name, folders: [], files: [], size: 0, indexes: [] };
}

/** Builds the tree; folders and files are sorted by name (numbers in order: 2 before 10). */
export function buildTree(files: readonly TreeFile[]): FolderNode {
  const root = folder("", "");
  for (const file of files) {
    const parts = file.path.split("/").filter((part) => part !== "");
    const name = parts.pop() ?? file.path;
    let node = root;
    const chain = [root];
    for (const part of parts) {
      const path = `${node.path}${part}/`;
      let next = node.folders.find((f) => f.path === path);
      if (next === undefined) {
        next = folder(path, part);
        node.folders.push(next);
      }
      node = next;
      chain.push(node);
    }
    node.files.push({ kind: "file", index: file.index, path: file.path, name, size: file.size });
    for (const parent of chain) {
      parent.size += file.size;
      parent.indexes.push(file.index);
    }
  }
  sortTree(root);
  return root;
}

function sortTree(node: FolderNode): void {
  node.folders.sort((a, b) => byName.compare(a.name, b.name));
  node.files.sort((a, b) => byName.compare(a.name, b.name));
  for (const child of node.folders) sortTree(child);
}

export type TreeLine =
  | { kind: "folder"; node: FolderNode; depth: number }
  | { kind: "file"; node: FileNode; depth: number };

/** The tree as the dialog draws it, top to bottom: each folder, then its folders, then its files. */
export function treeLines(root: FolderNode): TreeLine[] {
  const lines: TreeLine[] = [];
  const walk = (node: FolderNode, depth: number): void => {
    for (const child of node.folders) {
      lines.push({ kind: "folder", node: child, depth });
      walk(child, depth + 1);
    }
    for (const file of node.files) lines.push({ kind: "file", node: file, depth });
  };
  walk(root, 0);
  return lines;
}

export type Check = "all" | "none" | "some";

/** A folder's checkbox: checked, unchecked or in between. */
export function folderCheck(node: FolderNode, selected: ReadonlySet<number>): Check {
  let count = 0;
  for (const index of node.indexes) if (selected.has(index)) count += 1;
  if (count === 0) return "none";
  return count === node.indexes.length ? "all" : "some";
}

/** Clicking a folder: selects all its files, or clears them when all were selected. */
export function toggleFolder(node: FolderNode, selected: ReadonlySet<number>): Set<number> {
  const next = new Set(selected);
  const select = folderCheck(node, selected) !== "all";
  for (const index of node.indexes) {
    if (select) next.add(index);
    else next.delete(index);
  }
  return next;
}

export function toggleFile(index: number, selected: ReadonlySet<number>): Set<number> {
  const next = new Set(selected);
  if (!next.delete(index)) next.add(index);
  return next;
}

/**
 * A glob as a RegExp on the whole path, ignoring case: `*` is any run of characters
 * (folders included, so `*.mkv` finds every .mkv), `?` any one character, the rest literal.
 * Null for a blank pattern.
 */
export function globToRegExp(glob: string): RegExp | null {
  const pattern = glob.trim();
  if (pattern === "") return null;
  const source = Array.from(pattern, (char) => {
    if (char === "*") return ".*";
    if (char === "?") return ".";
    return char.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }).join("");
  return new RegExp(`^${source}$`, "i");
}

export function matchingIndexes(files: readonly TreeFile[], glob: string): number[] {
  const regex = globToRegExp(glob);
  if (regex === null) return [];
  return files.filter((file) => regex.test(file.path)).map((file) => file.index);
}

export function selectMatching(
  selected: ReadonlySet<number>,
  files: readonly TreeFile[],
  glob: string,
): Set<number> {
  const next = new Set(selected);
  for (const index of matchingIndexes(files, glob)) next.add(index);
  return next;
}

export function deselectMatching(
  selected: ReadonlySet<number>,
  files: readonly TreeFile[],
  glob: string,
): Set<number> {
  const next = new Set(selected);
  for (const index of matchingIndexes(files, glob)) next.delete(index);
  return next;
}

/** "2 files, 1.5 GiB selected". */
export function selectionSummary(
  files: readonly TreeFile[],
  selected: ReadonlySet<number>,
): { count: number; bytes: number; text: string } {
  let count = 0;
  let bytes = 0;
  for (const file of files) {
    if (!selected.has(file.index)) continue;
    count += 1;
    bytes += file.size;
  }
  return { count, bytes, text: `${plural(count, "file")}, ${formatBytes(bytes)} selected` };
}

/** The indexes to send to the core, in order. */
export function selectedIndexes(selected: ReadonlySet<number>): number[] {
  return [...selected].sort((a, b) => a - b);
}
