// The Duplicates page: groups of exact copies (same content) or similar images (close
// perceptual hashes), one shown at a time with the copy to keep chosen. Keeping one bins
// the others; the groups are then fetched again and the same position shows the next.

import { api as coreApi, type CoreError, type LibraryItemView, type Outcome } from "$lib/ipc/api";
import { bestItem, groupKey, othersThan } from "./best";

export type DuplicatesApi = Pick<typeof coreApi, "libraryDuplicates" | "librarySimilar" | "libraryRemove" | "onLibraryChanged">;
export type DuplicatesTab = "exact" | "similar";

export const DEFAULT_DISTANCE = 8;
export const MAX_DISTANCE = 15;

export class DuplicatesStore {
  tab = $state<DuplicatesTab>("exact");
  /** How far apart (bits) similar images may be. */
  distance = $state(DEFAULT_DISTANCE);
  groups = $state.raw<LibraryItemView[][]>([]);
  index = $state(0);
  /** The copy the user chose to keep, per group, where it is not the best one. */
  choices = $state.raw<ReadonlyMap<string, number>>(new Map());
  loaded = $state(false);
  loading = $state(false);
  loadError = $state<CoreError | null>(null);
  actionError = $state<CoreError | null>(null);
  /** "Keep selected, bin the rest" is on its way. */
  resolving = $state(false);

  readonly group = $derived(this.groups[this.index] ?? null);
  readonly best = $derived(this.group === null ? null : (bestItem(this.group)?.id ?? null));
  readonly keep = $derived(this.group === null ? null : (this.choices.get(groupKey(this.group)) ?? this.best));

  readonly #api: DuplicatesApi;
  #generation = 0;
  #unlisten: (() => void) | null = null;

  constructor(api: DuplicatesApi = coreApi) {
    this.#api = api;
  }

  async start(): Promise<void> {
    if (this.#unlisten === null) {
      const subscription = await this.#api.onLibraryChanged(() => void this.load());
      if (subscription.ok) this.#unlisten = subscription.value;
    }
    await this.load();
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Fetches the groups of the current tab; the newest request wins. */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    const result =
      this.tab === "exact" ? await this.#api.libraryDuplicates() : await this.#api.librarySimilar(this.distance);
    if (generation !== this.#generation) return;
    this.loading = false;
    if (!result.ok) {
      this.loadError = result.error;
      return;
    }
    this.loadError = null;
    this.groups = result.value.filter((group) => group.length > 1);
    this.index = Math.min(this.index, Math.max(0, this.groups.length - 1));
    this.loaded = true;
  }

  setTab(tab: DuplicatesTab): void {
    if (tab === this.tab) return;
    this.tab = tab;
    this.index = 0;
    this.loaded = false;
    this.actionError = null;
    void this.load();
  }

  setDistance(distance: number): void {
    const next = Math.min(MAX_DISTANCE, Math.max(0, Math.round(distance)));
    if (next === this.distance) return;
    this.distance = next;
    this.index = 0;
    void this.load();
  }

  /** Shows the group `by` places on (wrapping neither way). */
  step(by: number): void {
    this.index = Math.min(Math.max(0, this.groups.length - 1), Math.max(0, this.index + by));
    this.actionError = null;
  }

  choose(id: number): void {
    if (this.group === null || !this.group.some((item) => item.id === id)) return;
    const choices = new Map(this.choices);
    choices.set(groupKey(this.group), id);
    this.choices = choices;
  }

  /** Keeps the chosen copy and bins the rest; then shows the next group. */
  async keepSelected(): Promise<Outcome<number[]> | null> {
    const group = this.group;
    const keep = this.keep;
    if (group === null || keep === null || this.resolving) return null;
    this.resolving = true;
    const result = await this.#api.libraryRemove(othersThan(group, keep));
    this.resolving = false;
    if (result.ok) {
      this.actionError = null;
      // The resolved group leaves the list; the same position then holds the next one.
      this.groups = this.groups.filter((g) => g !== group);
      this.index = Math.min(this.index, Math.max(0, this.groups.length - 1));
      void this.load();
    } else {
      this.actionError = result.error;
    }
    return result;
  }
}
