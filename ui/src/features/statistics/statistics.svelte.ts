// The Statistics page's figures: `historyStats(days)` for the chosen range (7, 30 or 90
// days), asked again when files are added to the history (`historyChangedEvent`, many at
// once during a busy hour: coalesced into one call at a time).

import { coalesced } from "$lib/coalesce";
import { api as coreApi, type CoreError, type HistoryStats } from "$lib/ipc/api";

export type StatisticsApi = Pick<typeof coreApi, "historyStats" | "onHistoryChanged">;

export const RANGES = [7, 30, 90] as const;
export type Range = (typeof RANGES)[number];

export class StatisticsStore {
  days = $state<Range>(30);
  stats = $state.raw<HistoryStats | null>(null);
  /** The range and the moment the shown figures are for (the plots' "today"). */
  shown = $state.raw<{ days: Range; at: number } | null>(null);
  error = $state<CoreError | null>(null);
  loading = $state(false);

  readonly #api: StatisticsApi;
  readonly #now: () => number;
  readonly #refresh: () => Promise<void>;
  #unlisten: (() => void) | null = null;
  #listening = false;

  constructor(api: StatisticsApi = coreApi, now: () => number = Date.now) {
    this.#api = api;
    this.#now = now;
    this.#refresh = coalesced(() => this.#load());
  }

  async start(): Promise<void> {
    if (!this.#listening) {
      this.#listening = true;
      const changed = await this.#api.onHistoryChanged(() => void this.#refresh());
      if (changed.ok) {
        if (this.#listening) this.#unlisten = changed.value;
        else changed.value();
      }
    }
    await this.#refresh();
  }

  stop(): void {
    this.#listening = false;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  refresh(): Promise<void> {
    return this.#refresh();
  }

  /** Shows another range (asked at once; an answer for the old one is not shown). */
  setDays(days: Range): Promise<void> {
    this.days = days;
    return this.#refresh();
  }

  async #load(): Promise<void> {
    const days = this.days;
    this.loading = true;
    const result = await this.#api.historyStats(days);
    this.loading = false;
    // The range changed meanwhile: the coalesced run that follows asks for the new one.
    if (days !== this.days) return;
    if (result.ok) {
      this.stats = result.value;
      this.shown = { days, at: this.#now() };
      this.error = null;
    } else {
      this.error = result.error;
    }
  }
}
