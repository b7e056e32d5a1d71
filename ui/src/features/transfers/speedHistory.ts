// The speed of each download over the last minutes, for the details panel's graph:
// a fixed-size ring buffer per download, fed by the progress snapshots (~4 per second).

/** 5 minutes at 4 snapshots per second. */
export const HISTORY_CAPACITY = 1200;
/** How far back the graph looks. */
export const HISTORY_WINDOW_MS = 5 * 60 * 1000;

export type SpeedSample = {
  /** Milliseconds on the store's clock. */
  t: number;
  /** Bytes per second. */
  v: number;
};

export class SpeedHistory {
  readonly capacity: number;
  readonly #times: Float64Array;
  readonly #values: Float64Array;
  /** Index of the oldest sample. */
  #head = 0;
  #size = 0;

  constructor(capacity: number = HISTORY_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be ≥ 1");
    this.capacity = capacity;
    this.#times = new Float64Array(capacity);
    this.#values = new Float64Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Appends a sample; once full, the oldest one goes. Time never runs backwards here
   * (a wall clock can): an earlier `t` is recorded at the last sample's time.
   */
  push(t: number, v: number): void {
    const last = this.last();
    const time = last !== undefined && t < last.t ? last.t : t;
    const value = Number.isFinite(v) && v > 0 ? v : 0;
    const at = (this.#head + this.#size) % this.capacity;
    this.#times[at] = time;
    this.#values[at] = value;
    if (this.#size < this.capacity) this.#size += 1;
    else this.#head = (this.#head + 1) % this.capacity;
  }

  last(): SpeedSample | undefined {
    if (this.#size === 0) return undefined;
    const at = (this.#head + this.#size - 1) % this.capacity;
    return { t: this.#times[at] ?? 0, v: this.#values[at] ?? 0 };
  }

  /** Oldest first. */
  samples(): SpeedSample[] {
    const out: SpeedSample[] = new Array(this.#size);
    for (let i = 0; i < this.#size; i++) {
      const at = (this.#head + i) % this.capacity;
      out[i] = { t: this.#times[at] ?? 0, v: this.#values[at] ?? 0 };
    }
    return out;
  }

  clear(): void {
    this.#head = 0;
    this.#size = 0;
  }
}
