import { describe, expect, it } from "vitest";
import type { DownloadView, TaskView, TransferProgress } from "$lib/ipc/api";
import { indexProgress } from "./model";
import {
  countTransfers,
  fileDownloadIds,
  sharedRoot,
  sortTasks,
  taskActionsFor,
  taskRow,
  taskToggleFor,
} from "./tasks";

const MiB = 1024 * 1024;

function download(id: number, patch: Partial<DownloadView> = {}): DownloadView {
  return {
    id,
    url: `https://cdn.example.com/${id}`,
    fileName: `${id}.mkv`,
    dir: "/tv",
    totalBytes: 100 * MiB,
    receivedBytes: 0,
    state: "queued",
    error: null,
    createdAt: 0,
    connections: 8,
    sha256: null,
    ...patch,
  };
}

function task(patch: Partial<TaskView> = {}): TaskView {
  return {
    id: 1,
    infoHash: "abc",
    name: "Show S01",
    provider: "alldebrid",
    state: "resolving",
    label: null,
    dir: "/tv",
    providerStatus: "Downloading",
    providerProgress: 0.426,
    providerSpeed: 5 * MiB,
    seeders: 12,
    totalBytes: 200 * MiB,
    receivedBytes: 0,
    files: [],
    error: null,
    createdAt: 0,
    ...patch,
  };
}

const live = (id: number, receivedBytes: number, bytesPerSecond: number): TransferProgress => ({
  id,
  state: "active",
  receivedBytes,
  totalBytes: 100 * MiB,
  bytesPerSecond,
  etaSeconds: 1,
  connections: 1,
  segments: [],
});

const DOWNLOADING = task({
  state: "downloading",
  providerProgress: 1,
  files: [
    { index: 0, path: "Show S01/e01.mkv", size: 100 * MiB, selected: true, download: download(11, { state: "completed", receivedBytes: 100 * MiB }) },
    { index: 1, path: "Show S01/e02.mkv", size: 100 * MiB, selected: true, download: download(12, { state: "active" }) },
    { index: 2, path: "Show S01/sample.mkv", size: 5 * MiB, selected: false, download: null },
  ],
});

describe("taskRow on the provider", () => {
  it("shows the provider's progress, speed and an ETA from them", () => {
    const row = taskRow(task(), new Map());
    expect(row).toMatchObject({
      onProvider: true,
      percent: 42,
      progressText: "AllDebrid 42%",
      bytesPerSecond: 5 * MiB,
      indeterminate: false,
    });
    expect(row.etaSeconds).toBeCloseTo((200 * 0.574) / 5, 5);
  });

  it("has no figure before the provider gives one, and no speed while queued", () => {
    expect(taskRow(task({ providerProgress: null }), new Map())).toMatchObject({
      indeterminate: true,
      progressText: "AllDebrid",
      etaSeconds: null,
    });
    expect(taskRow(task({ state: "queued", provider: "torbox", providerProgress: 0 }), new Map())).toMatchObject({
      progressText: "TorBox 0%",
      bytesPerSecond: 0,
      etaSeconds: null,
      indeterminate: false,
    });
  });

  it("keeps the provider's figure when it failed there, before any file downloaded", () => {
    const failed = task({ state: "failed", error: { code: "ProviderFailed", message: "Dead torrent" } });
    expect(taskRow(failed, new Map())).toMatchObject({ onProvider: true, progressText: "AllDebrid 42%", bytesPerSecond: 0 });
  });
});

describe("taskRow downloading", () => {
  it("adds up its selected files' downloads with the snapshot's figures", () => {
    const row = taskRow(DOWNLOADING, indexProgress([live(12, 50 * MiB, 10 * MiB)]));
    expect(row).toMatchObject({
      onProvider: false,
      receivedBytes: 150 * MiB,
      totalBytes: 200 * MiB,
      percent: 75,
      progressText: "75%",
      bytesPerSecond: 10 * MiB,
      etaSeconds: 5,
    });
    expect(row.files.map((f) => [f.index, f.selected, f.percent, f.download?.state ?? null])).toEqual([
      [0, true, 100, "completed"],
      [1, true, 50, "active"],
      [2, false, 0, null],
    ]);
    // The torrent's top folder is the task's own name: files show below it.
    expect(row.files[1]).toMatchObject({ path: "Show S01/e02.mkv", folder: "", name: "e02.mkv" });
  });

  it("falls back to the selected files' sizes without a total and shows 100% when completed", () => {
    const noTotal = taskRow({ ...DOWNLOADING, totalBytes: null }, new Map());
    expect(noTotal.totalBytes).toBe(200 * MiB);
    expect(noTotal.percent).toBe(50);
    expect(taskRow({ ...DOWNLOADING, state: "completed", totalBytes: null, files: [] }, new Map()).percent).toBe(100);
    const choosing = { ...DOWNLOADING, state: "selecting" as const, totalBytes: null };
    choosing.files = choosing.files.map((f) => ({ ...f, selected: false, download: null }));
    expect(taskRow(choosing, new Map()).totalBytes).toBe(205 * MiB); // all files until chosen
  });

  it("has no speed or ETA when not downloading", () => {
    const paused = taskRow({ ...DOWNLOADING, state: "paused" }, indexProgress([live(12, 50 * MiB, 10 * MiB)]));
    expect(paused).toMatchObject({ onProvider: false, bytesPerSecond: 0, etaSeconds: null });
  });

  it("knows its files' download ids", () => {
    expect(fileDownloadIds(DOWNLOADING)).toEqual([11, 12]);
  });
});

describe("sharedRoot", () => {
  it("finds the top folder every file is in", () => {
    expect(sharedRoot(["Show/a.mkv", "Show/Subs/a.srt"])).toBe("Show/");
    expect(sharedRoot(["Show/a.mkv", "Other/b.mkv"])).toBe("");
    expect(sharedRoot(["a.mkv", "Show/b.mkv"])).toBe("");
    expect(sharedRoot([])).toBe("");
  });

  it("shows deeper folders below the shared one", () => {
    const row = taskRow(
      task({ files: [
        { index: 0, path: "Show/Subs/en.srt", size: 1, selected: true, download: null },
        { index: 1, path: "Show/e01.mkv", size: 1, selected: true, download: null },
      ] }),
      new Map(),
    );
    expect(row.files.map((f) => [f.folder, f.name])).toEqual([["Subs/", "en.srt"], ["", "e01.mkv"]]);
  });
});

describe("task actions", () => {
  it("allows per state what the core allows", () => {
    expect(taskActionsFor("resolving")).toEqual({ pause: true, resume: false, retry: false, cancel: true, chooseFiles: false });
    expect(taskActionsFor("selecting")).toEqual({ pause: false, resume: false, retry: false, cancel: true, chooseFiles: true });
    expect(taskActionsFor("failed")).toMatchObject({ retry: true, cancel: false });
    expect(taskActionsFor("completed")).toEqual({ pause: false, resume: false, retry: false, cancel: false, chooseFiles: false });
  });

  it("toggles with Space", () => {
    expect(taskToggleFor("downloading")).toBe("pause");
    expect(taskToggleFor("paused")).toBe("resume");
    expect(taskToggleFor("failed")).toBe("retry");
    expect(taskToggleFor("selecting")).toBeNull();
  });
});

describe("ordering and counts", () => {
  it("puts the newest task first", () => {
    const tasks = [task({ id: 1, createdAt: 5 }), task({ id: 2, createdAt: 9 }), task({ id: 3, createdAt: 9 })];
    expect(sortTasks(tasks).map((t) => t.id)).toEqual([3, 2, 1]);
  });

  it("counts tasks with the downloads for the status bar", () => {
    const downloads = { queued: 1, active: 1, paused: 0, verifying: 0, completed: 3, failed: 0, cancelled: 0 };
    const states = ["resolving", "downloading", "queued", "selecting", "paused", "verifying", "completed"] as const;
    expect(countTransfers(downloads, states.map((state) => ({ state })))).toEqual({
      active: 3,
      queued: 2,
      paused: 1,
      verifying: 1,
      choosing: 1,
    });
  });
});
