import { describe, expect, it } from "vitest";
import type { DownloadView, TaskView } from "$lib/ipc/api";
import { listItems, parseKey, stepSelection } from "./listItems";
import { mergeRows } from "./model";
import { taskRow } from "./tasks";

function download(id: number): DownloadView {
  return {
    id,
    url: `https://example.com/${id}`,
    fileName: `${id}.bin`,
    dir: "/d",
    totalBytes: 10,
    receivedBytes: 0,
    state: "queued",
    error: null,
    createdAt: 0,
    connections: 8,
    sha256: null,
  };
}

function task(id: number, files: string[] = [], state: TaskView["state"] = "downloading"): TaskView {
  return {
    id,
    infoHash: "h",
    name: `task ${id}`,
    provider: "realdebrid",
    state,
    label: null,
    dir: "/d",
    providerStatus: null,
    providerProgress: null,
    providerSpeed: 0,
    seeders: null,
    totalBytes: null,
    receivedBytes: 0,
    files: files.map((path, index) => ({ index, path, size: 1, selected: true, download: null })),
    error: null,
    createdAt: id,
  };
}

const tasks = [task(1, ["a/x.mkv", "a/y.mkv"]), task(2, [], "resolving")].map((t) => taskRow(t, new Map()));
const downloads = mergeRows([download(1), download(2)], new Map());

describe("listItems", () => {
  it("lists tasks, then downloads; an expanded task's files follow it", () => {
    expect(listItems(tasks, downloads, new Set()).map((i) => i.key)).toEqual([
      "task:1",
      "task:2",
      "download:1",
      "download:2",
    ]);
    const open = listItems(tasks, downloads, new Set([1, 2]));
    expect(open.map((i) => i.key)).toEqual([
      "task:1",
      "file:1:0",
      "file:1:1",
      "task:2",
      "note:2",
      "download:1",
      "download:2",
    ]);
    expect(open.filter((i) => i.kind === "file").map((i) => i.kind === "file" && i.last)).toEqual([false, true]);
    const note = open[4];
    expect(note?.kind === "note" && note.text).toBe("The files show once Real-Debrid has read the torrent.");
  });

  it("keeps a download's line object while its row is unchanged", () => {
    const first = listItems([], downloads, new Set());
    const second = listItems(tasks, downloads, new Set([1]));
    expect(second.at(-1)).toBe(first.at(-1));
  });
});

describe("stepSelection", () => {
  const items = listItems(tasks, downloads, new Set([1]));

  it("skips file lines and stops at the ends", () => {
    expect(stepSelection(items, "task:1", 1)).toBe("task:2");
    expect(stepSelection(items, "task:2", -1)).toBe("task:1");
    expect(stepSelection(items, "task:1", 3)).toBe("download:2");
    expect(stepSelection(items, "download:2", 5)).toBe("download:2");
    expect(stepSelection(items, "task:1", -1)).toBe("task:1");
  });

  it("starts from an end without a selection and jumps to the ends", () => {
    expect(stepSelection(items, null, 1)).toBe("task:1");
    expect(stepSelection(items, null, -1)).toBe("download:2");
    expect(stepSelection(items, "download:1", "first")).toBe("task:1");
    expect(stepSelection(items, "task:1", "last")).toBe("download:2");
    expect(stepSelection([], null, 1)).toBeNull();
  });
});

describe("parseKey", () => {
  it("reads what a key points at", () => {
    expect(parseKey("task:7")).toEqual({ kind: "task", id: 7 });
    expect(parseKey("download:3")).toEqual({ kind: "download", id: 3 });
    expect(parseKey("file:1:2")).toBeNull();
  });
});
