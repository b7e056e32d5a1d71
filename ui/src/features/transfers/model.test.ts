import { describe, expect, it } from "vitest";
import type { DownloadView, TransferProgress } from "$lib/ipc/api";
import {
  actionsFor,
  bulkActions,
  countStates,
  isFinished,
  moveFor,
  queueEnds,
  STATE_LABEL,
  filterByName,
  filterRows,
  indexProgress,
  mergeRows,
  rowPercent,
  toggleFor,
  snapshotSpeed,
  totalSpeed,
} from "./model";

function download(id: number, patch: Partial<DownloadView> = {}): DownloadView {
  return {
    id,
    url: `https://example.com/${id}.bin`,
    fileName: `${id}.bin`,
    dir: "/downloads",
    totalBytes: 1000,
    receivedBytes: 0,
    state: "queued",
    error: null,
    createdAt: 1_700_000_000_000 + id,
    connections: 8,
    sha256: null,
    ...patch,
  };
}

function live(id: number, patch: Partial<TransferProgress> = {}): TransferProgress {
  return {
    id,
    state: "active",
    receivedBytes: 500,
    totalBytes: 1000,
    bytesPerSecond: 100,
    etaSeconds: 5,
    connections: 1,
    segments: [],
    ...patch,
  };
}

describe("mergeRows", () => {
  it("overlays live figures on the matching download", () => {
    const rows = mergeRows([download(1), download(2)], indexProgress([live(2)]));
    expect(rows[0]).toMatchObject({ id: 1, state: "queued", receivedBytes: 0, bytesPerSecond: 0 });
    expect(rows[1]).toMatchObject({
      id: 2,
      state: "active",
      receivedBytes: 500,
      bytesPerSecond: 100,
      etaSeconds: 5,
    });
  });

  it("keeps a known total when the snapshot does not know it", () => {
    const [row] = mergeRows([download(1, { totalBytes: 4096 })], indexProgress([live(1, { totalBytes: null })]));
    expect(row?.totalBytes).toBe(4096);
  });

  it("drops speed and ETA for a transfer that is no longer active", () => {
    const [row] = mergeRows([download(1)], indexProgress([live(1, { state: "paused" })]));
    expect(row).toMatchObject({ state: "paused", bytesPerSecond: 0, etaSeconds: null });
  });

  it("keeps the identity of rows without live progress", () => {
    const list = [download(1)];
    const a = mergeRows(list, new Map());
    const b = mergeRows(list, indexProgress([live(9)]));
    expect(a[0]).toBe(b[0]);
  });
});

describe("counts and speed", () => {
  it("counts rows by state and sums active speed only", () => {
    const rows = mergeRows(
      [download(1), download(2), download(3, { state: "paused" }), download(4)],
      indexProgress([live(1, { bytesPerSecond: 300 }), live(2, { bytesPerSecond: 200 })]),
    );
    expect(countStates(rows)).toMatchObject({ active: 2, queued: 1, paused: 1, completed: 0 });
    expect(totalSpeed(rows)).toBe(500);
  });
});

describe("filterRows", () => {
  const rows = mergeRows(
    [download(1, { fileName: "Ubuntu-24.04.iso" }), download(2, { fileName: "movie.mkv" })],
    new Map(),
  );

  it("matches names case-insensitively", () => {
    expect(filterRows(rows, "  UBUNTU ").map((r) => r.id)).toEqual([1]);
  });

  it("keeps everything for a blank query", () => {
    expect(filterRows(rows, " ")).toBe(rows);
  });
});

describe("actions", () => {
  it("offers pause while running and resume when paused", () => {
    expect(actionsFor("active")).toEqual({ pause: true, resume: false, retry: false, cancel: true, move: false });
    expect(actionsFor("queued")).toMatchObject({ pause: true, move: true });
    expect(actionsFor("paused")).toEqual({ pause: false, resume: true, retry: false, cancel: true, move: true });
    expect(actionsFor("failed")).toEqual({ pause: false, resume: false, retry: true, cancel: false, move: false });
    expect(actionsFor("completed")).toEqual({
      pause: false,
      resume: false,
      retry: false,
      cancel: false,
      move: false,
    });
  });

  it("offers nothing but removal while verifying", () => {
    expect(actionsFor("verifying")).toEqual({ pause: false, resume: false, retry: false, cancel: false, move: false });
    expect(toggleFor("verifying")).toBeNull();
    expect(STATE_LABEL.verifying).toBe("Verifying");
  });

  it("maps Space to pause or resume", () => {
    expect(toggleFor("active")).toBe("pause");
    expect(toggleFor("paused")).toBe("resume");
    expect(toggleFor("failed")).toBe("resume");
    expect(toggleFor("cancelled")).toBeNull();
  });
});

describe("rowPercent", () => {
  it("is 100 for a completed download of unknown size", () => {
    const [row] = mergeRows([download(1, { state: "completed", totalBytes: null })], new Map());
    expect(row && rowPercent(row)).toBe(100);
  });
});

describe("verifying", () => {
  it("is counted on its own and is not finished", () => {
    const rows = mergeRows([download(1, { state: "verifying" }), download(2)], new Map());
    expect(countStates(rows)).toMatchObject({ verifying: 1, queued: 1, active: 0 });
    expect(isFinished("verifying")).toBe(false);
    expect(isFinished("completed")).toBe(true);
    expect(isFinished("failed")).toBe(true);
    expect(isFinished("cancelled")).toBe(true);
  });
});

describe("queue moves", () => {
  const list = [
    download(1, { state: "completed" }),
    download(2, { state: "active" }),
    download(3, { state: "queued" }),
    download(4, { state: "paused" }),
    download(5, { state: "failed" }),
  ];

  it("finds the first and last unfinished downloads", () => {
    expect(queueEnds(list)).toEqual({ first: 2, last: 4 });
    expect(queueEnds([download(1, { state: "completed" })])).toEqual({ first: null, last: null });
  });

  it("moves queued and paused rows only, and not past the ends of the queue", () => {
    const ends = queueEnds(list);
    expect(moveFor(download(3, { state: "queued" }), ends)).toEqual({ up: true, down: true });
    expect(moveFor(download(4, { state: "paused" }), ends)).toEqual({ up: true, down: false });
    expect(moveFor(download(2, { state: "active" }), ends)).toEqual({ up: false, down: false });
    expect(moveFor(download(5, { state: "failed" }), ends)).toEqual({ up: false, down: false });
    const alone = queueEnds([download(9, { state: "queued" })]);
    expect(moveFor(download(9, { state: "queued" }), alone)).toEqual({ up: false, down: false });
  });

  it("enables Pause all and Resume all only when they have something to do", () => {
    const counts = (states: DownloadView["state"][]) =>
      countStates(mergeRows(states.map((state, i) => download(i + 1, { state })), new Map()));
    expect(bulkActions(counts(["active", "paused"]))).toEqual({ pauseAll: true, resumeAll: true });
    expect(bulkActions(counts(["queued"]))).toEqual({ pauseAll: true, resumeAll: false });
    expect(bulkActions(counts(["completed", "cancelled"]))).toEqual({ pauseAll: false, resumeAll: false });
    expect(bulkActions(counts(["failed"]))).toEqual({ pauseAll: false, resumeAll: true });
  });
});

describe("snapshotSpeed", () => {
  it("adds up every active transfer of the snapshot, task files included", () => {
    const progress = indexProgress([
      live(1, { bytesPerSecond: 100 }),
      live(900, { bytesPerSecond: 50 }),
      live(3, { state: "verifying", bytesPerSecond: 999 }),
    ]);
    expect(snapshotSpeed(progress)).toBe(150);
  });
});

describe("filterByName", () => {
  it("keeps what contains the query, ignoring case", () => {
    const items = [{ name: "Show S01" }, { name: "Film" }];
    expect(filterByName(items, " show ", (i) => i.name)).toEqual([{ name: "Show S01" }]);
    expect(filterByName(items, "", (i) => i.name)).toBe(items);
  });
});
