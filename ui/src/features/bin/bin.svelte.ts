// The recycle bin: what was removed from the library, when, and until when it stays.
// Restore puts files back where they were; Delete forever and Empty bin purge them.

import { api as coreApi, type BinEntryView, type CoreError } from "$lib/ipc/api";
import { clickSelect, keepPresent, NO_SELECTION, type ClickModifiers, type Selection } from "$lib/selection";
import { plural } from "$lib/format";

export type BinApi = Pick<typeof coreApi, "binList" | "binRestore" | "binPurge" | "binEmpty" | "onLibraryChanged">;

export class BinStore {
  entries = $state.raw<BinEntryView[]>([]);
  loaded = $state(false);
  loadError = $state<CoreError | null>(null);
  actionError = $state<CoreError | null>(null);
  /** What the last action did ("Restored 2 files."). */
  message = $state<string | null>(null);
  selection = $state.raw<Selection>(NO_SELECTION);
  /** An action is on its way (buttons wait). */
  busy = $state(false);

  readonly selectedIds = $derived(this.entries.filter((e) => this.selection.ids.has(e.id)).map((e) => e.id));

  readonly #api: BinApi;
  #generation = 0;
  #unlisten: (() => void) | null = null;

  constructor(api: BinApi = coreApi) {
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

  async load(): Promise<void> {
    const generation = ++this.#generation;
    const result = await this.#api.binList();
    if (generation !== this.#generation) return;
    if (!result.ok) {
      this.loadError = result.error;
      return;
    }
    this.loadError = null;
    this.entries = result.value;
    const present = new Set(result.value.map((e) => e.id));
    this.selection = keepPresent(this.selection, (id) => present.has(id));
    this.loaded = true;
  }

  /** A click (or Space) on row `index`, with the keys held. */
  select(index: number, modifiers: ClickModifiers): void {
    this.selection = clickSelect(this.selection, index, (i) => this.entries[i]?.id, modifiers);
  }

  /** The checkbox of row `index`: adds or takes away that row only. */
  toggle(index: number): void {
    this.select(index, { shift: false, toggle: true });
  }

  selectAll(): void {
    this.selection = { ids: new Set(this.entries.map((e) => e.id)), anchor: this.selection.anchor ?? 0 };
  }

  clearSelection(): void {
    this.selection = NO_SELECTION;
  }

  async restore(ids: readonly number[]): Promise<boolean> {
    return this.#act(async () => {
      const result = await this.#api.binRestore([...ids]);
      return result.ok ? { ok: true, message: `Restored ${plural(result.value.length, "file")}.` } : result;
    });
  }

  async purge(ids: readonly number[]): Promise<boolean> {
    return this.#act(async () => {
      const result = await this.#api.binPurge([...ids]);
      return result.ok ? { ok: true, message: `Deleted ${plural(result.value, "file")} for good.` } : result;
    });
  }

  async empty(): Promise<boolean> {
    return this.#act(async () => {
      const result = await this.#api.binEmpty();
      return result.ok ? { ok: true, message: `Emptied the bin (${plural(result.value, "file")}).` } : result;
    });
  }

  dismiss(): void {
    this.actionError = null;
    this.message = null;
  }

  async #act(action: () => Promise<{ ok: true; message: string } | { ok: false; error: CoreError }>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    const result = await action();
    this.busy = false;
    if (result.ok) {
      this.actionError = null;
      this.message = result.message;
      this.selection = NO_SELECTION;
    } else {
      this.actionError = result.error;
      this.message = null;
    }
    await this.load();
    return result.ok;
  }
}
