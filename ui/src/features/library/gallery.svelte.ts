// The gallery's list: how many items match the filter, their months, and the items
// loaded so far. The grid says which index range it shows (`want`); the store fetches
// what is missing there, one page at a time — paging forward from a loaded run when it
// is near, else jumping with a seek (months, then counts) so a far target costs a few
// requests, not everything before it. One instance lives for the whole window.

import {
  api as coreApi,
  type CoreError,
  type ItemDetails,
  type LibraryFilter,
  type LibraryItemView,
  type LibraryQuery,
  type LibrarySort,
  type MonthCount,
  type Outcome,
  type ScanReport,
} from "$lib/ipc/api";
import { buildFilter, EMPTY_FORM, emptyForm, personForm, sameQuery, type FilterForm } from "./filters";
import { ItemWindow } from "./itemWindow";
import { monthOf } from "./months";
import { planSeek } from "./seek";
import { failedThumbs } from "./thumbs.svelte";

export type GalleryApi = Pick<
  typeof coreApi,
    | "libraryList"
  | "libraryCount"
  | "libraryMonths"
  | "libraryUpdateDetails"
  | "libraryRemove"
  | "libraryAddFolder"
  | "onLibraryChanged"
>;

/** Items per request; a jump lands at most PAGE_SIZE - BLOCK_SIZE items before its target. */
export const PAGE_SIZE = 500;
/** Paging forward through a gap this long is cheaper than a seek. */
const REACH = 2 * PAGE_SIZE;

type Context = { window: ItemWindow; filter: LibraryFilter; sort: LibrarySort; months: MonthCount[]; generation: number };

export class GalleryStore {
  /** The filter bar as the user left it (the page applies it to `filter`). */
  form = $state<FilterForm>(emptyForm());
  filter = $state.raw<LibraryFilter>(buildFilter(EMPTY_FORM));
  sort = $state<LibrarySort>("newest");
  /** Items matching the filter; null until counted. */
  total = $state<number | null>(null);
  /** Items per month (newest first), for the scrubber and for seeks. */
  months = $state.raw<MonthCount[]>([]);
  /** Bumped whenever items arrive, change or leave: readers of `item()` depend on it. */
  version = $state(0);
  /** Bumped when the items at the loaded positions may all have changed (new filter, reload). */
  epoch = $state(0);
  loadError = $state<CoreError | null>(null);
  /** A page request is in flight. */
  loading = $state(false);
  /** Where the grid was (block, offset), so coming back to the page keeps the place. */
  position = { block: 0, offset: 0 };

  readonly #api: GalleryApi;
  #window = new ItemWindow();
  #want = { from: 0, to: 0 };
  /** Bumped by every reset or reload: answers to older requests are dropped. */
  #generation = 0;
  #pumping = false;
  #reloading: Promise<void> | null = null;
  #reloadAgain = false;
  #unlisten: (() => void) | null = null;

  constructor(api: GalleryApi = coreApi) {
    this.#api = api;
  }

  /** Listens for library changes and loads the first count (again, if the page was left and reopened). */
  async start(): Promise<void> {
    if (this.#unlisten === null) {
      const subscription = await this.#api.onLibraryChanged(() => {
        // The core may have made thumbnails it could not make before.
        failedThumbs.clear();
        void this.reload();
      });
      if (subscription.ok) this.#unlisten = subscription.value;
    }
    await (this.total === null ? this.#reset() : this.reload());
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** The item at a position, once loaded. */
  item(index: number): LibraryItemView | undefined {
    void this.version;
    return this.#window.get(index);
  }

  /** Whether every item in [from, to) is loaded. */
  has(from: number, to: number): boolean {
    void this.version;
    return this.#window.has(from, to);
  }

  /** The position of a loaded item, or -1. */
  indexOf(id: number): number {
    void this.version;
    return this.#window.indexOf(id);
  }

  /** A new filter or sort: starts over from the top. False when nothing changed. */
  setQuery(filter: LibraryFilter, sort: LibrarySort): boolean {
    if (sameQuery(filter, this.filter) && sort === this.sort) return false;
    this.filter = filter;
    this.sort = sort;
    this.position = { block: 0, offset: 0 };
    void this.#reset();
    return true;
  }

  /** Shows one person's photos (from the People page): the form says so, the page applies it. */
  showPerson(personId: number): void {
    this.form = personForm(personId);
  }

  /** What the grid shows (plus a margin): loads whatever is missing there. */
  want(from: number, to: number): void {
    this.#want = { from: Math.max(0, Math.floor(from)), to: Math.max(0, Math.ceil(to)) };
    void this.#pump();
  }

  /**
   * Fetches the count, months and the shown items again, keeping the position; what is
   * on screen stays until the new items are there. Calls made meanwhile are coalesced.
   */
  reload(): Promise<void> {
    if (this.#reloading !== null) {
      this.#reloadAgain = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      do {
        this.#reloadAgain = false;
        await this.#reloadOnce();
      } while (this.#reloadAgain);
    })().finally(() => {
      this.#reloading = null;
      void this.#pump();
    });
    return this.#reloading;
  }

  /** Moves items to the bin; they leave the list at once (the reload that follows confirms it). */
  async remove(ids: readonly number[]): Promise<Outcome<number[]>> {
    const result = await this.#api.libraryRemove([...ids]);
    if (result.ok) {
      const gone = new Set(ids);
      const months = new Map(this.months.map((m) => [m.month, m.count]));
      for (const id of gone) {
        const index = this.#window.indexOf(id);
        const item = index === -1 ? undefined : this.#window.get(index);
        if (item === undefined) continue;
        const month = monthOf(item.sortAt);
        months.set(month, (months.get(month) ?? 1) - 1);
      }
      const removed = this.#window.remove(gone);
      this.months = this.months
        .map((m) => ({ month: m.month, count: months.get(m.month) ?? m.count }))
        .filter((m) => m.count > 0);
      if (this.total !== null) this.total = Math.max(0, this.total - removed);
      this.epoch += 1;
      this.version += 1;
      void this.reload();
    }
    return result;
  }

  /** Adds a folder and scans it (the status bar shows the progress); the dialog shows the report. */
  async addFolder(path: string): Promise<Outcome<ScanReport>> {
    const result = await this.#api.libraryAddFolder(path.trim());
    if (result.ok) void this.reload();
    return result;
  }

  /** Saves an item's posted date, tags and description; the caller shows a refusal. */
  async updateDetails(id: number, details: ItemDetails): Promise<Outcome<LibraryItemView>> {
    const result = await this.#api.libraryUpdateDetails(id, details);
    if (result.ok && this.#window.replace(result.value)) this.version += 1;
    return result;
  }

  async #reset(): Promise<void> {
    const generation = ++this.#generation;
    this.#window = new ItemWindow();
    this.total = null;
    this.months = [];
    this.loadError = null;
    this.epoch += 1;
    this.version += 1;
    const [count, months] = await Promise.all([
      this.#api.libraryCount(this.filter),
      this.#api.libraryMonths(this.filter),
    ]);
    if (generation !== this.#generation) return;
    if (!count.ok) {
      this.loadError = count.error;
      return;
    }
    this.months = months.ok ? months.value : [];
    this.total = count.value;
    void this.#pump();
  }

  async #reloadOnce(): Promise<void> {
    const generation = ++this.#generation;
    const { filter, sort } = this;
    const [count, months] = await Promise.all([this.#api.libraryCount(filter), this.#api.libraryMonths(filter)]);
    if (generation !== this.#generation) return;
    if (!count.ok) {
      this.loadError = count.error;
      return;
    }
    const context: Context = {
      window: new ItemWindow(),
      filter,
      sort,
      months: months.ok ? months.value : [],
      generation,
    };
    const total = count.value;
    // The page under the top of the view first, so the swap keeps the screen filled.
    const from = Math.min(this.#want.from, Math.max(0, total - 1));
    const to = Math.min(Math.max(this.#want.to, from + 1), total);
    for (let guard = 0; guard < 8 && total > 0; guard++) {
      const missing = context.window.firstMissing(from, to);
      if (missing === null) break;
      const loaded = await this.#loadAt(context, missing, total);
      if (generation !== this.#generation) return;
      if (!loaded) break;
    }
    this.#window = context.window;
    this.months = context.months;
    this.total = this.#endSeen(context.window, total);
    this.loadError = null;
    this.epoch += 1;
    this.version += 1;
  }

  async #pump(): Promise<void> {
    if (this.#pumping || this.#reloading !== null) return;
    this.#pumping = true;
    this.loading = true;
    try {
      for (;;) {
        const total = this.total;
        if (total === null || this.#reloading !== null) break;
        const from = Math.min(this.#want.from, total);
        const to = Math.min(this.#want.to, total);
        const missing = this.#window.firstMissing(from, to);
        if (missing === null) break;
        const context: Context = {
          window: this.#window,
          filter: this.filter,
          sort: this.sort,
          months: this.months,
          generation: this.#generation,
        };
        const loaded = await this.#loadAt(context, missing, total);
        if (context.generation !== this.#generation) continue;
        if (!loaded) break;
        this.total = this.#endSeen(this.#window, total);
        this.version += 1;
      }
    } finally {
      this.#pumping = false;
      this.loading = false;
    }
  }

  /** Loads the page that holds `index` into the context's window; false when nothing came. */
  async #loadAt(context: Context, index: number, total: number): Promise<boolean> {
    const { window, sort } = context;
    let start: number;
    let query: LibraryQuery;
    const near = window.continuationFor(index, REACH);
    if (near !== undefined) {
      start = near.start + near.items.length;
      query = { filter: near.filter, sort, cursor: near.cursor, limit: PAGE_SIZE };
    } else if (index === 0) {
      start = 0;
      query = { filter: context.filter, sort, cursor: null, limit: PAGE_SIZE };
    } else {
      const plan = await planSeek(index, sort, context.filter, context.months, async (filter) => {
        const counted = await this.#api.libraryCount(filter);
        return counted.ok ? counted.value : null;
      });
      if (context.generation !== this.#generation) return false;
      if (plan !== null) {
        start = plan.start;
        query = { filter: plan.filter, sort, cursor: null, limit: PAGE_SIZE };
      } else {
        // No range filter for this sort (by name): page forward, in the largest pages.
        const before = window.continuationFor(index, total);
        start = before === undefined ? 0 : before.start + before.items.length;
        query = before === undefined
          ? { filter: context.filter, sort, cursor: null, limit: 1000 }
          : { filter: before.filter, sort, cursor: before.cursor, limit: 1000 };
      }
    }
    const page = await this.#api.libraryList(query);
    if (context.generation !== this.#generation) return false;
    if (!page.ok) {
      this.loadError = page.error;
      return false;
    }
    this.loadError = null;
    const { items, nextCursor } = page.value;
    if (items.length === 0) {
      // Fewer items than counted (some left meanwhile): the list ends here.
      this.total = Math.min(total, start);
      this.version += 1;
      return false;
    }
    window.add(start, items, nextCursor, query.filter ?? context.filter);
    return true;
  }

  /**
   * The total, corrected by a run that reached the end of the list (a short last page has
   * no cursor, whatever bound a seek added): items may have come or gone since the count.
   */
  #endSeen(window: ItemWindow, total: number): number {
    const last = window.segments[window.segments.length - 1];
    return last !== undefined && last.cursor === null ? last.start + last.items.length : total;
  }
}
