// The gallery's content can be taller than any element may be: browsers cap an
// element's height near 16.7 million px (a million items at six a row is ~27 million).
// So the scroller holds a spacer of at most MAX_PHYSICAL_HEIGHT and its scroll position
// maps to a position in the real ("virtual") content, proportionally end to end: the
// top of the scroll range is the first row, its bottom the last. Wheel and keys move the
// virtual position by real pixels (see GalleryGrid); only a drag of the scrollbar jumps
// proportionally.

/** Well below every engine's limit (WebKit and Firefox are the tightest, near 16.7 M). */
export const MAX_PHYSICAL_HEIGHT = 8_000_000;

/** The spacer's height for content this tall. */
export function physicalHeight(virtualHeight: number, cap = MAX_PHYSICAL_HEIGHT): number {
  return Math.max(0, Math.min(virtualHeight, cap));
}

/** True when the content is taller than the spacer, so positions are scaled. */
export function isScaled(virtualHeight: number, cap = MAX_PHYSICAL_HEIGHT): boolean {
  return virtualHeight > cap;
}

/** The virtual position (top of the viewport in the content) for a scroll position. */
export function toVirtual(scrollTop: number, viewport: number, virtualHeight: number, cap = MAX_PHYSICAL_HEIGHT): number {
  const maxVirtual = Math.max(0, virtualHeight - viewport);
  const maxPhysical = Math.max(0, physicalHeight(virtualHeight, cap) - viewport);
  if (maxPhysical <= 0) return 0;
  const clamped = Math.min(Math.max(0, scrollTop), maxPhysical);
  return clamped === maxPhysical ? maxVirtual : (clamped / maxPhysical) * maxVirtual;
}

/** The scroll position that shows a virtual position (the inverse of `toVirtual`). */
export function toPhysical(virtualTop: number, viewport: number, virtualHeight: number, cap = MAX_PHYSICAL_HEIGHT): number {
  const maxVirtual = Math.max(0, virtualHeight - viewport);
  const maxPhysical = Math.max(0, physicalHeight(virtualHeight, cap) - viewport);
  if (maxVirtual <= 0) return 0;
  const clamped = Math.min(Math.max(0, virtualTop), maxVirtual);
  return (clamped / maxVirtual) * maxPhysical;
}

/** Where blocks of known (or estimated) heights start, and which block holds a position. */
export class BlockOffsets {
  readonly #tops: Float64Array;

  constructor(heights: ArrayLike<number>) {
    this.#tops = new Float64Array(heights.length + 1);
    for (let i = 0; i < heights.length; i++) {
      this.#tops[i + 1] = (this.#tops[i] ?? 0) + Math.max(0, heights[i] ?? 0);
    }
  }

  get count(): number {
    return this.#tops.length - 1;
  }

  get total(): number {
    return this.#tops[this.#tops.length - 1] ?? 0;
  }

  top(block: number): number {
    return this.#tops[Math.min(Math.max(0, block), this.#tops.length - 1)] ?? 0;
  }

  height(block: number): number {
    return this.top(block + 1) - this.top(block);
  }

  /** The block at a virtual position and how far into it the position is. */
  locate(y: number): { block: number; offset: number } {
    const count = this.count;
    if (count === 0) return { block: 0, offset: 0 };
    if (y <= 0) return { block: 0, offset: Math.max(0, y) };
    if (y >= this.total) return { block: count - 1, offset: this.height(count - 1) };
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#tops[mid] ?? 0) <= y) low = mid;
      else high = mid - 1;
    }
    return { block: low, offset: y - (this.#tops[low] ?? 0) };
  }
}
