// The gallery's justified rows: every tile keeps its picture's aspect ratio, every row
// fills the width, and row heights stay near a target. The list is cut into blocks of
// BLOCK_SIZE items at fixed positions (0, 100, 200 …), each laid out on its own once all
// its items are known, so a block far down the list can be drawn without the ones above
// it. Within a block the row breaks are chosen together (least squared deviation from
// the target height), so no row is left short at a block's end.

/** Items per block: the unit of layout and of height estimates. */
export const BLOCK_SIZE = 100;
export const TARGET_ROW_HEIGHT = 160;
/** Space between tiles and between rows (px). */
export const TILE_GAP = 4;

/** Rows are kept within these multiples of the target where the pictures allow it. */
const MIN_FACTOR = 0.55;
const MAX_FACTOR = 1.8;
/** Panoramas and tall strips are shown cropped to these ratios. */
const MIN_ASPECT = 0.4;
const MAX_ASPECT = 3;

export type Dimensions = { width: number | null; height: number | null };

/** A row of a block: items `start` … `start + count - 1` (relative to the block). */
export type RowLayout = {
  start: number;
  count: number;
  /** From the block's top (px). */
  top: number;
  height: number;
  /** Left edge and width of each tile (px). */
  xs: number[];
  widths: number[];
};

export type BlockLayout = {
  rows: RowLayout[];
  /** Rows plus the gap under each. */
  height: number;
};

export type JustifyOptions = {
  target?: number;
  gap?: number;
  /**
   * The last block of the whole list: its last row may stay short (at the target height,
   * left-aligned) instead of being stretched across the width.
   */
  endOfList?: boolean;
};

/** Width over height; unknown dimensions are square. */
export function aspectOf(item: Dimensions): number {
  const { width, height } = item;
  if (width === null || height === null || !(width > 0) || !(height > 0)) return 1;
  return Math.min(MAX_ASPECT, Math.max(MIN_ASPECT, width / height));
}

/** The height that makes tiles of these aspects (and the gaps) fill `width` exactly. */
function fillHeight(aspectSum: number, count: number, width: number, gap: number): number {
  return (width - gap * (count - 1)) / aspectSum;
}

function rowCost(height: number, target: number): number {
  const deviation = (height - target) / target;
  const max = target * MAX_FACTOR;
  // Past the maximum a row looks broken: allowed only when nothing else fits.
  return deviation * deviation + (height > max ? 100 * ((height - max) / target) : 0);
}

/** Places tiles of these aspects in a row of this height from x = 0; the last edge lands on `width` when justified. */
function placeRow(aspects: readonly number[], height: number, gap: number): { xs: number[]; widths: number[] } {
  const xs: number[] = [];
  const widths: number[] = [];
  let x = 0;
  for (const aspect of aspects) {
    const left = Math.round(x);
    const right = Math.round(x + aspect * height);
    xs.push(left);
    widths.push(Math.max(1, right - left));
    x += aspect * height + gap;
  }
  return { xs, widths };
}

/** Lays out one block: the row breaks with the least total deviation from the target height. */
export function justify(aspects: readonly number[], width: number, options: JustifyOptions = {}): BlockLayout {
  const target = options.target ?? TARGET_ROW_HEIGHT;
  const gap = options.gap ?? TILE_GAP;
  const n = aspects.length;
  const usable = Math.max(1, width);
  if (n === 0) return { rows: [], height: 0 };

  const minHeight = target * MIN_FACTOR;
  // best[j]: the least cost of laying out items 0 … j-1; from[j]: where its last row starts.
  const best = new Array<number>(n + 1).fill(Infinity);
  const from = new Array<number>(n + 1).fill(0);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    const base = best[i] ?? Infinity;
    if (base === Infinity) continue;
    let aspectSum = 0;
    for (let j = i + 1; j <= n; j++) {
      aspectSum += aspects[j - 1] ?? 1;
      const height = fillHeight(aspectSum, j - i, usable, gap);
      const freeEnd = options.endOfList === true && j === n && height > target;
      const cost = base + (freeEnd ? 0 : rowCost(height, target));
      if (cost < (best[j] ?? Infinity)) {
        best[j] = cost;
        from[j] = i;
      }
      // Adding more only makes the row lower; one row below the minimum is enough to try.
      if (height < minHeight) break;
    }
  }

  const breaks: number[] = [];
  for (let j = n; j > 0; j = from[j] ?? 0) breaks.push(j);
  breaks.reverse();

  const rows: RowLayout[] = [];
  let top = 0;
  let start = 0;
  for (const end of breaks) {
    const slice = aspects.slice(start, end);
    const aspectSum = slice.reduce((sum, a) => sum + a, 0);
    const fill = fillHeight(aspectSum, slice.length, usable, gap);
    const freeEnd = options.endOfList === true && end === n && fill > target;
    // A lone very tall picture is shown at the maximum height rather than filling the width.
    const exact = freeEnd ? target : Math.min(fill, target * MAX_FACTOR);
    const height = Math.round(exact);
    rows.push({ start, count: slice.length, top, height, ...placeRow(slice, exact, gap) });
    top += height + gap;
    start = end;
  }
  return { rows, height: top };
}

/** The height a block of `count` items will take, before its items are known. */
export function estimateBlockHeight(
  count: number,
  width: number,
  averageAspect = 1,
  target = TARGET_ROW_HEIGHT,
  gap = TILE_GAP,
): number {
  if (count <= 0) return 0;
  const perRow = Math.max(1, (Math.max(1, width) + gap) / (target * averageAspect + gap));
  const rows = Math.ceil(count / perRow);
  return rows * (target + gap);
}

/** The row of a block that holds item `offset` (relative to the block), or -1. */
export function rowOf(layout: BlockLayout, offset: number): number {
  let low = 0;
  let high = layout.rows.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const row = layout.rows[mid];
    if (row === undefined) break;
    if (offset < row.start) high = mid - 1;
    else if (offset >= row.start + row.count) low = mid + 1;
    else return mid;
  }
  return -1;
}

/** The horizontal middle of item `offset` (relative to the block), or null. */
export function middleOf(layout: BlockLayout, offset: number): number | null {
  const row = layout.rows[rowOf(layout, offset)];
  if (row === undefined) return null;
  const k = offset - row.start;
  return (row.xs[k] ?? 0) + (row.widths[k] ?? 0) / 2;
}

/** The item of a row whose middle is nearest to `x` (relative to the block). */
export function nearestInRow(row: RowLayout, x: number): number {
  let nearest = 0;
  let distance = Infinity;
  for (let i = 0; i < row.count; i++) {
    const d = Math.abs((row.xs[i] ?? 0) + (row.widths[i] ?? 0) / 2 - x);
    if (d < distance) {
      distance = d;
      nearest = i;
    }
  }
  return row.start + nearest;
}

/**
 * The item a step up or down from `offset` lands on, by horizontal position: the tile of
 * the neighbouring row whose middle is nearest. Null when that row is in another block.
 */
export function verticalNeighbour(layout: BlockLayout, offset: number, step: -1 | 1): number | null {
  const index = rowOf(layout, offset);
  const next = layout.rows[index + step];
  const middle = middleOf(layout, offset);
  if (index === -1 || next === undefined || middle === null) return null;
  return nearestInRow(next, middle);
}
