import { describe, expect, it } from "vitest";
import {
  buildTree,
  deselectMatching,
  folderCheck,
  globToRegExp,
  matchingIndexes,
  selectedIndexes,
  selectionSummary,
  selectMatching,
  toggleFile,
  toggleFolder,
  treeLines,
  type FolderNode,
} from "./fileTree";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const FILES = [
  { index: 0, path: "Show S01/Episode 10.mkv", size: 2 * GiB },
  { index: 1, path: "Show S01/Episode 2.mkv", size: 1.5 * GiB },
  { index: 2, path: "Show S01/Subs/English.srt", size: 60 * 1024 },
  { index: 3, path: "Show S01/Extras/Making of.MKV", size: 300 * MiB },
  { index: 4, path: "README.txt", size: 1200 },
];

const folderAt = (root: FolderNode, path: string): FolderNode => {
  const found = treeLines(root).find((line) => line.kind === "folder" && line.node.path === path);
  if (found?.kind !== "folder") throw new Error(`no folder ${path}`);
  return found.node;
};

describe("buildTree", () => {
  it("groups files by folder with sizes and indexes per folder", () => {
    const root = buildTree(FILES);
    expect(root.size).toBe(FILES.reduce((sum, f) => sum + f.size, 0));
    expect(root.folders.map((f) => f.name)).toEqual(["Show S01"]);
    const show = folderAt(root, "Show S01/");
    expect(show.indexes.sort()).toEqual([0, 1, 2, 3]);
    expect(show.size).toBe(2 * GiB + 1.5 * GiB + 60 * 1024 + 300 * MiB);
    expect(folderAt(root, "Show S01/Subs/").size).toBe(60 * 1024);
  });

  it("lists folders first, then files, in natural name order", () => {
    const lines = treeLines(buildTree(FILES)).map((line) => `${"  ".repeat(line.depth)}${line.node.name}`);
    expect(lines).toEqual([
      "Show S01",
      "  Extras",
      "    Making of.MKV",
      "  Subs",
      "    English.srt",
      "  Episode 2.mkv",
      "  Episode 10.mkv",
      "README.txt",
    ]);
  });
});

describe("checkboxes", () => {
  it("shows a folder as all, none or some of its files", () => {
    const show = folderAt(buildTree(FILES), "Show S01/");
    expect(folderCheck(show, new Set())).toBe("none");
    expect(folderCheck(show, new Set([0, 4]))).toBe("some");
    expect(folderCheck(show, new Set([0, 1, 2, 3]))).toBe("all");
  });

  it("selects a folder's files, and clears them when all were selected", () => {
    const show = folderAt(buildTree(FILES), "Show S01/");
    const some = new Set([1, 4]);
    const all = toggleFolder(show, some);
    expect(selectedIndexes(all)).toEqual([0, 1, 2, 3, 4]);
    expect(selectedIndexes(toggleFolder(show, all))).toEqual([4]);
    expect(some).toEqual(new Set([1, 4])); // never changed in place
  });

  it("toggles one file", () => {
    expect(selectedIndexes(toggleFile(2, new Set([1])))).toEqual([1, 2]);
    expect(selectedIndexes(toggleFile(1, new Set([1])))).toEqual([]);
  });
});

describe("patterns", () => {
  it("matches the whole path, ignoring case, with * across folders and ? for one character", () => {
    expect(matchingIndexes(FILES, "*.mkv")).toEqual([0, 1, 3]);
    expect(matchingIndexes(FILES, "show s01/episode ?.mkv")).toEqual([1]);
    expect(matchingIndexes(FILES, "*/Episode *")).toEqual([0, 1]);
    expect(matchingIndexes(FILES, "Episode*")).toEqual([]); // not at the start of the path
    expect(matchingIndexes(FILES, "  ")).toEqual([]);
  });

  it("takes other characters literally", () => {
    const regex = globToRegExp("a+b (1).[x]");
    expect(regex?.test("A+B (1).[X]")).toBe(true);
    expect(regex?.test("aab (1).x")).toBe(false);
  });

  it("selects and deselects what matches, keeping the rest", () => {
    const picked = selectMatching(new Set([4]), FILES, "*.MKV");
    expect(selectedIndexes(picked)).toEqual([0, 1, 3, 4]);
    expect(selectedIndexes(deselectMatching(picked, FILES, "*extras*"))).toEqual([0, 1, 4]);
  });
});

describe("selectionSummary", () => {
  it("counts the files and bytes selected", () => {
    expect(selectionSummary(FILES, new Set([0, 1]))).toEqual({
      count: 2,
      bytes: 3.5 * GiB,
      text: "2 files, 3.5 GiB selected",
    });
    expect(selectionSummary(FILES, new Set([4])).text).toBe("1 file, 1.2 KiB selected");
    expect(selectionSummary(FILES, new Set()).text).toBe("0 files, 0 B selected");
  });
});
