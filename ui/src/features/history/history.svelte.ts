// The History page: every file Haul fetched, newest first, narrowed by a search and
// filters, loaded page by page as the list is scrolled (HistoryPager). New files
// (`history-changed`) reload the first page while the user is at the top; further down
// they only raise a "new files" notice, so the rows being read do not move.

import { api as coreApi, type CoreError, type HistoryEntry } from "$lib/ipc/api";
import { coalesced } from "$lib/coalesce";
import { emptyFilters, sameQuery, toHistoryQuery, type HistoryFilters } from "./historyModel";
import { HistoryPager, type PageRequest } from "./historyPager";

export type HistoryApi = Pick<typeof coreApi, "historySearch" | "onHistoryChanged">;

export class HistoryStore {
  /** The filters the list shows. */
  filters = $state.raw<HistoryFilters>(emptyFilters());
  /** Bumped whenever the loaded entries change (they are kept out of the reactive graph). */
  version = $state(0);
  total = $state<number | null>(null);
  loading = $state(false);
  error = $state<CoreError | null>(null);
  /** Files arrived while the user was scrolled down. */
  stale = $state(false);
  /** Whether the view is at the top (set by the page; a new file then reloads the list). */
  atTop = true;

  readonly #api: HistoryApi;
  readonly #pager = new HistoryPager();
  #unlisten: (() => void) | null = null;
  #listening = false;
  readonly #onChangedRefresh: () => Promise<void>;

  constructor(api: HistoryApi = coreApi) {
    this.#api = api;
    this.#onChangedRefresh = coalesced(() => this.#firstPage());
  }

  /** The loaded entries (read `version` to follow them). */
  get entries(): readonly HistoryEntry[] {
    void this.version;
    return this.#pager.entries;
  }

  get hasMore(): boolean {
    void this.version;
    return !this.#pager.done;
  }

  async start(): Promise<void> {
    if (!this.#listening) {
      this.#listening = true;
      const changed = await this.#api.onHistoryChanged(() => this.#changed());
      if (changed.ok) {
        if (this.#listening) this.#unlisten = changed.value;
        else changed.value();
      }
    }
    // Coming back to the page shows what is new, from the top.
    await this.refresh();
  }

  stop(): void {
    this.#listening = false;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Shows the list for these filters, from its first page (nothing is asked when they ask the same). */
  async apply(filters: HistoryFilters): Promise<void> {
    const same = sameQuery(toHistoryQuery(filters), this.#pager.query);
    this.filters = filters;
    if (same && this.#pager.generation > 0) return;
    await this.#firstPage();
  }

  /** Reloads the first page (the "new files" notice, a retry). */
  refresh(): Promise<void> {
    return this.#firstPage();
  }

  /** Asks for the next page, unless one is in flight, the last one came, or the last ask failed. */
  async loadMore(): Promise<void> {
    if (this.error !== null) return;
    const request = this.#pager.more();
    if (request === null) return;
    await this.#fetch(request);
  }

  /** After a failure: asks again for what failed. */
  async retry(): Promise<void> {
    this.error = null;
    if (this.#pager.total === null) await this.#firstPage();
    else await this.loadMore();
  }

  #changed(): void {
    if (this.atTop) void this.#onChangedRefresh();
    else this.stale = true;
  }

  async #firstPage(): Promise<void> {
    this.stale = false;
    this.error = null;
    await this.#fetch(this.#pager.reset(toHistoryQuery(this.filters)));
  }

  async #fetch(request: PageRequest): Promise<void> {
    this.loading = true;
    const result = await this.#api.historySearch(request.query);
    const current = result.ok ? this.#pager.accept(request, result.value) : this.#pager.fail(request);
    if (!current) return;
    this.loading = false;
    this.error = result.ok ? null : result.error;
    this.total = this.#pager.total;
    this.version++;
  }
}
