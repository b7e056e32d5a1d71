// Geometry of the segment map: where each byte range of a download sits on a bar
// 0..totalBytes, how much of it is done, and which ranges a connection is fetching.

import { percentDone } from "$lib/format";
import type { SegmentProgress, TransferProgress } from "$lib/ipc/api";

/** done: every byte is there; active: a connection fetches it now; pending: waiting. */
export type SegmentState = "done" | "active" | "pending";

export type SegmentPiece = {
  /** 1-based position in the map, in byte order. */
  index: number;
  start: number;
  /** Exclusive. */
  end: number;
  received: number;
  bytesPerSecond: number;
  state: SegmentState;
  /** Offset and width on the bar, in percent of the whole file. */
  left: number;
  width: number;
  /** The done part, as a fraction 0–1 of the piece's own width. */
  done: number;
};

export function segmentState(segment: SegmentProgress): SegmentState {
  const length = Math.max(0, segment.end - segment.start);
  if (segment.received >= length) return "done";
  return segment.active ? "active" : "pending";
}

/**
 * Places the segments on a bar of `totalBytes` (or, unknown, the end of the last one).
 * Values are clamped, so a late or odd snapshot never draws outside the bar.
 */
export function segmentPieces(
  segments: readonly SegmentProgress[],
  totalBytes: number | null,
): SegmentPiece[] {
  const lastEnd = segments.reduce((max, s) => Math.max(max, s.end), 0);
  const total = totalBytes !== null && totalBytes > 0 ? Math.max(totalBytes, lastEnd) : lastEnd;
  if (total <= 0) return [];
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  return sorted.map((segment, i) => {
    const start = Math.max(0, Math.min(segment.start, total));
    const end = Math.max(start, Math.min(segment.end, total));
    const length = end - start;
    const received = Math.max(0, Math.min(segment.received, length));
    return {
      index: i + 1,
      start,
      end,
      received,
      bytesPerSecond: segment.active ? Math.max(0, segment.bytesPerSecond) : 0,
      state: segmentState({ ...segment, start, end, received }),
      left: (start / total) * 100,
      width: (length / total) * 100,
      done: length > 0 ? received / length : 1,
    };
  });
}

/**
 * The ranges to draw for a live transfer. A transfer that reports none (e.g. one stream
 * of unknown length) is drawn as one range from 0, fetched by its one connection.
 */
export function liveSegments(live: TransferProgress, totalBytes: number | null): SegmentProgress[] {
  if (live.segments.length > 0) return live.segments;
  const end = totalBytes ?? live.totalBytes ?? live.receivedBytes;
  if (end <= 0) return [];
  return [
    {
      start: 0,
      end,
      received: live.receivedBytes,
      active: live.state === "active",
      bytesPerSecond: live.bytesPerSecond,
    },
  ];
}

export type SegmentCounts = Record<SegmentState, number>;

export function countSegments(pieces: readonly SegmentPiece[]): SegmentCounts {
  const counts: SegmentCounts = { done: 0, active: 0, pending: 0 };
  for (const piece of pieces) counts[piece.state] += 1;
  return counts;
}

export type ConnectionLine = {
  index: number;
  start: number;
  end: number;
  percent: number;
  bytesPerSecond: number;
};

/** One line per segment a connection is fetching now, in byte order. */
export function connectionLines(pieces: readonly SegmentPiece[]): ConnectionLine[] {
  return pieces
    .filter((piece) => piece.state === "active")
    .map((piece) => ({
      index: piece.index,
      start: piece.start,
      end: piece.end,
      percent: percentDone(piece.received, piece.end - piece.start),
      bytesPerSecond: piece.bytesPerSecond,
    }));
}
