import { describe, expect, it } from "vitest";
import type { SegmentProgress } from "$lib/ipc/api";
import { connectionLines, countSegments, liveSegments, segmentPieces, segmentState } from "./segments";

const MiB = 1024 ** 2;

function seg(start: number, end: number, received: number, active = false, bytesPerSecond = 0): SegmentProgress {
  return { start, end, received, active, bytesPerSecond };
}

describe("segmentState", () => {
  it("is done when every byte is there, else active or pending by the flag", () => {
    expect(segmentState(seg(0, 10, 10))).toBe("done");
    expect(segmentState(seg(0, 10, 10, true))).toBe("done");
    expect(segmentState(seg(0, 10, 3, true))).toBe("active");
    expect(segmentState(seg(0, 10, 3))).toBe("pending");
    expect(segmentState(seg(0, 10, 0))).toBe("pending");
  });
});

describe("segmentPieces", () => {
  // 4 × 25 MiB: two done, one being fetched, one waiting.
  const segments = [
    seg(75 * MiB, 100 * MiB, 0),
    seg(0, 25 * MiB, 25 * MiB),
    seg(50 * MiB, 75 * MiB, 10 * MiB, true, 2 * MiB),
    seg(25 * MiB, 50 * MiB, 25 * MiB),
  ];

  it("places each range on the bar in byte order with its done fraction", () => {
    const pieces = segmentPieces(segments, 100 * MiB);
    expect(pieces.map((p) => [p.index, p.left, p.width, p.state])).toEqual([
      [1, 0, 25, "done"],
      [2, 25, 25, "done"],
      [3, 50, 25, "active"],
      [4, 75, 25, "pending"],
    ]);
    expect(pieces[2]?.done).toBeCloseTo(0.4);
    expect(pieces[3]?.done).toBe(0);
    expect(countSegments(pieces)).toEqual({ done: 2, active: 1, pending: 1 });
  });

  it("covers exactly the whole bar when the segments do", () => {
    const pieces = segmentPieces(segments, 100 * MiB);
    const covered = pieces.reduce((sum, p) => sum + p.width, 0);
    expect(covered).toBeCloseTo(100);
    for (let i = 1; i < pieces.length; i++) {
      const prev = pieces[i - 1]!;
      expect(pieces[i]!.left).toBeCloseTo(prev.left + prev.width);
    }
  });

  it("uses the end of the last range when the size is unknown", () => {
    const pieces = segmentPieces([seg(0, 300, 300), seg(300, 400, 50, true)], null);
    expect(pieces.map((p) => p.width)).toEqual([75, 25]);
  });

  it("clamps odd figures so nothing draws outside the bar", () => {
    const [piece] = segmentPieces([seg(0, 100, 500, true)], 100);
    expect(piece).toMatchObject({ start: 0, end: 100, received: 100, width: 100, done: 1, state: "done" });
    // A stale total (smaller than the ranges) grows to the ranges rather than overflow.
    const stale = segmentPieces([seg(0, 100, 100), seg(100, 200, 0, true)], 100);
    expect(stale.map((p) => [p.left, p.width])).toEqual([
      [0, 50],
      [50, 50],
    ]);
    const [under] = segmentPieces([seg(0, 100, -5)], 100);
    expect(under?.done).toBe(0);
  });

  it("is empty without a size or ranges", () => {
    expect(segmentPieces([], null)).toEqual([]);
    expect(segmentPieces([], 0)).toEqual([]);
  });

  it("drops the speed of a range nobody fetches", () => {
    const [piece] = segmentPieces([seg(0, 100, 10, false, 999)], 100);
    expect(piece?.bytesPerSecond).toBe(0);
  });
});

describe("connectionLines", () => {
  it("lists the ranges being fetched with their progress and speed", () => {
    const pieces = segmentPieces(
      [
        seg(0, 12 * MiB, 12 * MiB),
        seg(12 * MiB, 24 * MiB, 3 * MiB, true, 1.5 * MiB),
        seg(24 * MiB, 36 * MiB, 6 * MiB, true, 2 * MiB),
        seg(36 * MiB, 48 * MiB, 0),
      ],
      48 * MiB,
    );
    expect(connectionLines(pieces)).toEqual([
      { index: 2, start: 12 * MiB, end: 24 * MiB, percent: 25, bytesPerSecond: 1.5 * MiB },
      { index: 3, start: 24 * MiB, end: 36 * MiB, percent: 50, bytesPerSecond: 2 * MiB },
    ]);
  });
});

describe("liveSegments", () => {
  const live = {
    id: 1,
    state: "active" as const,
    receivedBytes: 40,
    totalBytes: 100,
    bytesPerSecond: 7,
    etaSeconds: null,
    connections: 1,
    segments: [] as SegmentProgress[],
  };

  it("keeps the ranges the core reports", () => {
    const segments = [seg(0, 50, 50), seg(50, 100, 0)];
    expect(liveSegments({ ...live, segments }, 100)).toBe(segments);
  });

  it("draws a transfer without ranges as one range from 0", () => {
    expect(liveSegments(live, 100)).toEqual([seg(0, 100, 40, true, 7)]);
    expect(liveSegments({ ...live, totalBytes: null }, null)).toEqual([seg(0, 40, 40, true, 7)]);
    expect(liveSegments({ ...live, receivedBytes: 0, totalBytes: null }, null)).toEqual([]);
  });
});
