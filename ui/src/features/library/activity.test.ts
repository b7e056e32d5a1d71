import { describe, expect, it } from "vitest";
import type { LibraryProgress } from "$lib/ipc/api";
import { activityPage, activityPercent, activityText } from "./activity";

describe("library activity", () => {
  it("reads like the status bar's other figures", () => {
    expect(activityText({ job: "scan", done: 120, total: 400, running: true, paused: false })).toBe("Scanning 120/400");
    expect(activityText({ job: "catch-up", done: 1, total: 3, running: true, paused: false })).toBe("Adding downloads 1/3");
    expect(activityText({ job: "faces", done: 12, total: 40, running: true, paused: false })).toBe("Finding faces 12/40");
    expect(activityText({ job: "faces", done: 12, total: 40, running: true, paused: true })).toBe(
      "Finding faces 12/40 · paused",
    );
    expect(activityText({ job: "thumbnails", done: 0, total: 0, running: true, paused: false })).toBe("Working…");
    expect(activityText({ job: "scan", done: 400, total: 400, running: false, paused: false })).toBeNull();
    expect(activityText(null)).toBeNull();
    expect(activityText({ job: "scan", done: 120, total: 400, running: true, paused: true })).toBe(
      "Scanning 120/400 · paused",
    );
  });

  it("opens People for face analysis, the Library for the rest", () => {
    expect(activityPage({ job: "faces", done: 1, total: 2, running: true, paused: false })).toBe("people");
    expect(activityPage({ job: "scan", done: 1, total: 2, running: true, paused: false })).toBe("library");
    expect(activityPage(null)).toBe("library");
  });

  it("gives the bar's percent, floored", () => {
    expect(activityPercent({ job: "scan", done: 120, total: 400, running: true, paused: false })).toBe(30);
    expect(activityPercent({ job: "scan", done: 2, total: 3, running: true, paused: false })).toBe(66);
    expect(activityPercent({ job: "scan", done: 0, total: 0, running: true, paused: false })).toBeNull();
  });
});

describe("LibraryActivityStore", () => {
  it("follows the progress events and shows a pause at once", async () => {
    const { LibraryActivityStore } = await import("./activity.svelte");
    let emit: (p: LibraryProgress) => void = () => {};
    const calls: boolean[] = [];
    const store = new LibraryActivityStore({
      async onLibraryProgress(handler) {
        emit = handler;
        return { ok: true, value: () => {} };
      },
      async librarySetPaused(paused) {
        calls.push(paused);
        return paused || calls.length < 3 ? { ok: true, value: null } : { ok: false, error: { code: "Internal", message: "No." } };
      },
    });
    await store.start();
    emit({ job: "scan", done: 1, total: 4, running: true, paused: false });
    expect(store.progress?.done).toBe(1);
    await store.setPaused(true);
    expect(store.progress?.paused).toBe(true);
    await store.setPaused(false);
    expect(store.progress?.paused).toBe(false);
    await store.setPaused(false);
    expect(store.error?.message).toBe("No.");
    expect(calls).toEqual([true, false, false]);
  });
});
