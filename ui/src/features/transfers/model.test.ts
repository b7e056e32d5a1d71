import { describe, expect, it } from "vitest";
import type { DownloadView, TransferProgress } from "$lib/ipc/api";
import {
  actionsFor,
  countStates,
  filterRows,
  indexProgress,
  mergeRows,
  rowPercent,
  toggleFor,
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
    expect(actionsFor("active")).toEqual({ pause: true, resume: false, retry: false, cancel: true });
    expect(actionsFor("queued").pause).toBe(true);
    expect(actionsFor("paused")).toEqual({ pause: false, resume: true, retry: false, cancel: true });
    expect(actionsFor("failed")).toEqual({ pause: false, resume: false, retry: true, cancel: false });
    expect(actionsFor("completed")).toEqual({ pause: false, resume: false, retry: false, cancel: false });
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
