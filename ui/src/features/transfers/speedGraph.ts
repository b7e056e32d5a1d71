// Geometry of the speed graph: samples of the last minutes as an SVG line and area in a
// width × height box, the newest sample at the right edge; the top is a round figure.

import type { SpeedSample } from "./speedHistory";

const STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * The smallest round speed ≥ `bytesPerSecond`, round in the binary unit it prints in:
 * 48.2 MiB/s → 50 MiB/s, 6.4 MiB/s → 8 MiB/s, 700 B/s → 1 KiB/s. At least 1 KiB/s.
 */
export function niceCeiling(bytesPerSecond: number): number {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 1024) return 1024;
  let divisor = 1024;
  while (bytesPerSecond / divisor >= 1024) divisor *= 1024;
  const n = bytesPerSecond / divisor;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  const fraction = n / magnitude;
  const step = STEPS.find((s) => s >= fraction - 1e-9) ?? 10;
  return step * magnitude * divisor;
}

export type SpeedGraph = {
  /** SVG path of the speed line; empty with fewer than two samples in the window. */
  line: string;
  /** The same line closed down to the baseline, for the filled area. */
  area: string;
  /** The speed at the top of the box. */
  max: number;
  /** How much of the window the samples cover, in milliseconds. */
  span: number;
};

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * `headroom` is the fraction of the height left free above `max` (room for its label):
 * the line reaches `height * headroom` at most.
 */
export function speedGraph(
  samples: readonly SpeedSample[],
  {
    windowMs,
    width,
    height,
    headroom = 0,
  }: { windowMs: number; width: number; height: number; headroom?: number },
): SpeedGraph {
  const newest = samples.at(-1);
  if (newest === undefined) return { line: "", area: "", max: niceCeiling(0), span: 0 };
  const now = newest.t;
  const inWindow = samples.filter((s) => now - s.t <= windowMs);
  let peak = 0;
  for (const s of inWindow) peak = Math.max(peak, s.v);
  const max = niceCeiling(peak);
  const oldest = inWindow[0] ?? newest;
  const span = now - oldest.t;
  if (inWindow.length < 2) return { line: "", area: "", max, span };

  const x = (t: number) => round(width * (1 - (now - t) / windowMs));
  const plot = height * (1 - headroom);
  const y = (v: number) => round(height - (Math.min(v, max) / max) * plot);
  const points = inWindow.map((s) => `${x(s.t)} ${y(s.v)}`);
  const line = `M${points.join("L")}`;
  const area = `${line}L${x(now)} ${height}L${x(oldest.t)} ${height}Z`;
  return { line, area, max, span };
}
