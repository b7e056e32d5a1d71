// The Sources page: every followed source, kept current by `sources-changed` events (a
// burst of them — a check reports its start, its pages and its end — costs at most one
// list in flight and one after it), and the actions on one: check now, pause, resume,
// fill a gap, edit, remove, follow a new one. One instance lives for the whole window.

import {
  api as coreApi,
  type AddSource,
  type CoreError,
  type EditSource,
  type Outcome,
  type SourceView,
} from "$lib/ipc/api";
import { coalesced } from "$lib/coalesce";
import { plural } from "$lib/format";
import { checkAllTargets, pauseAction } from "./sourcesModel";

export type SourcesApi = Pick<
  typeof coreApi,
  | "sourcesList"
  | "sourceAdd"
  | "sourceEdit"
  | "sourcePause"
  | "sourceResume"
  | "sourceCheck"
  | "sourceFillGap"
  | "sourceRemove"
  | "cookiesImport"
  | "onSourcesChanged"
>;

export class SourcesStore {
  sources = $state.raw<SourceView[]>([]);
  loaded = $state(false);
  loadError = $state<CoreError | null>(null);
  actionError = $state<CoreError | null>(null);
  /** What the last action did ("Removed …"). */
  message = $state<string | null>(null);
  /** Sources with a request in flight (their buttons wait). */
  pending = $state.raw<ReadonlySet<number>>(new Set());

  readonly #api: SourcesApi;
  #unlisten: (() => void) | null = null;
  #listening = false;
  readonly #refresh: () => Promise<void>;

  constructor(api: SourcesApi = coreApi) {
    this.#api = api;
    this.#refresh = coalesced(() => this.#loadOnce());
  }

  async start(): Promise<void> {
    if (!this.#listening) {
      this.#listening = true;
      const changed = await this.#api.onSourcesChanged(() => void this.load());
      if (changed.ok) {
        if (this.#listening) this.#unlisten = changed.value;
        else changed.value();
      }
    }
    await this.load();
  }

  stop(): void {
    this.#listening = false;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Lists the sources; calls made while a list is in flight become one more list after it. */
  load(): Promise<void> {
    return this.#refresh();
  }

  async #loadOnce(): Promise<void> {
    const result = await this.#api.sourcesList();
    if (result.ok) {
      this.sources = result.value;
      this.loaded = true;
      this.loadError = null;
    } else {
      this.loadError = result.error;
    }
  }

  byId(id: number): SourceView | undefined {
    return this.sources.find((s) => s.id === id);
  }

  /** Starts a check now; the row turns to Checking and events follow it. */
  check(id: number): Promise<boolean> {
    return this.#on(id, () => this.#api.sourceCheck(id));
  }

  /** Checks every source that is neither paused nor being checked. */
  async checkAll(): Promise<void> {
    const ids = checkAllTargets(this.sources);
    await Promise.all(ids.map((id) => this.check(id)));
  }

  /** Pauses a running source, resumes a paused one. */
  togglePause(id: number): Promise<boolean> {
    const source = this.byId(id);
    if (source === undefined) return Promise.resolve(false);
    return pauseAction(source.state) === "resume"
      ? this.#on(id, () => this.#api.sourceResume(id))
      : this.#on(id, () => this.#api.sourcePause(id));
  }

  /** Checks past the usual limits until a known post (a gap the last check reported). */
  fillGap(id: number): Promise<boolean> {
    return this.#on(id, () => this.#api.sourceFillGap(id));
  }

  /** Stops following a source; with `deleteFiles`, its files go to the recycle bin. */
  async remove(id: number, deleteFiles: boolean): Promise<boolean> {
    const name = this.byId(id)?.name ?? `#${id}`;
    this.#begin(id);
    const result = await this.#api.sourceRemove(id, deleteFiles);
    this.#end(id);
    if (!result.ok) {
      this.actionError = result.error;
      return false;
    }
    this.sources = this.sources.filter((s) => s.id !== id);
    this.message = deleteFiles
      ? `Stopped following “${name}”; ${plural(result.value, "file")} moved to the recycle bin.`
      : `Stopped following “${name}”; its files were kept.`;
    return true;
  }

  /** Follows a new source; the dialog shows a refusal next to its fields. */
  async add(source: AddSource): Promise<Outcome<SourceView>> {
    const result = await this.#api.sourceAdd(source);
    if (result.ok) {
      this.#replace(result.value);
      this.message = null;
    }
    return result;
  }

  /** Saves an edited source; the dialog shows a refusal next to its fields. */
  async edit(id: number, edit: EditSource): Promise<Outcome<SourceView>> {
    const result = await this.#api.sourceEdit(id, edit);
    if (result.ok) this.#replace(result.value);
    return result;
  }

  /** Stores an account's cookies (a cookies.txt's text); resolves to the domains they cover. */
  importCookies(account: string, text: string): Promise<Outcome<string[]>> {
    return this.#api.cookiesImport(account.trim(), text);
  }

  dismiss(): void {
    this.actionError = null;
    this.message = null;
  }

  async #on(id: number, call: () => Promise<Outcome<SourceView>>): Promise<boolean> {
    if (this.pending.has(id)) return false;
    this.#begin(id);
    this.actionError = null;
    const result = await call();
    this.#end(id);
    if (!result.ok) {
      this.actionError = result.error;
      return false;
    }
    this.#replace(result.value);
    return true;
  }

  #begin(id: number): void {
    this.pending = new Set(this.pending).add(id);
  }

  #end(id: number): void {
    const next = new Set(this.pending);
    next.delete(id);
    this.pending = next;
  }

  #replace(source: SourceView): void {
    const at = this.sources.findIndex((s) => s.id === source.id);
    this.sources = at === -1 ? [...this.sources, source] : this.sources.map((s) => (s.id === source.id ? source : s));
  }
}
