// The transfer list's state: the stored list from `listDownloads()`, live figures from
// progress snapshots, and the user's actions. One instance lives for the whole window.

import {
  api as coreApi,
  type CoreError,
  type DownloadView,
  type Outcome,
  type ProgressSnapshot,
  type TransferProgress,
} from "$lib/ipc/api";
import { countStates, indexProgress, mergeRows, totalSpeed } from "./model";

export type TransfersApi = Pick<
  typeof coreApi,
  | "listDownloads"
  | "addDownload"
  | "pauseDownload"
  | "resumeDownload"
  | "cancelDownload"
  | "removeDownload"
  | "onProgressSnapshot"
>;

export class TransfersStore {
  /** The list as the core last returned it (plus the results of our own actions). */
  downloads = $state.raw<DownloadView[]>([]);
  /** Live figures of active transfers, from the latest snapshot. */
  progress = $state.raw<ReadonlyMap<number, TransferProgress>>(new Map());
  /** False until the first list has arrived. */
  loaded = $state(false);
  /** Why the list or the progress feed could not be loaded; cleared by the next good list. */
  loadError = $state<CoreError | null>(null);
  /** The last row action the core refused (pause, resume, cancel, remove). */
  actionError = $state<CoreError | null>(null);

  readonly rows = $derived(mergeRows(this.downloads, this.progress));
  readonly counts = $derived(countStates(this.rows));
  readonly speed = $derived(totalSpeed(this.rows));

  readonly #api: TransfersApi;
  #lastRevision: number | null = null;
  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;
  #unlisten: (() => void) | null = null;
  #stopped = false;

  constructor(api: TransfersApi = coreApi) {
    this.#api = api;
  }

  /** Subscribes to snapshots first, then loads the list, so no revision is missed. */
  async start(): Promise<void> {
    this.#stopped = false;
    const subscription = await this.#api.onProgressSnapshot((s) => this.applySnapshot(s));
    if (subscription.ok) {
      if (this.#stopped) subscription.value();
      else this.#unlisten = subscription.value;
    } else {
      this.loadError = subscription.error;
    }
    await this.refresh();
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  applySnapshot(snapshot: ProgressSnapshot): void {
    this.progress = indexProgress(snapshot.transfers);
    if (snapshot.revision !== this.#lastRevision) {
      this.#lastRevision = snapshot.revision;
      void this.refresh();
    }
  }

  /**
   * Refetches the list. Calls made while a fetch is in flight are coalesced into one more
   * fetch after it, so the last list applied is never older than the last request.
   */
  refresh(): Promise<void> {
    if (this.#refreshing !== null) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = this.#refreshLoop().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refreshLoop(): Promise<void> {
    do {
      this.#refreshAgain = false;
      const result = await this.#api.listDownloads();
      if (result.ok) {
        this.downloads = result.value;
        this.loadError = null;
        this.loaded = true;
      } else {
        this.loadError = result.error;
      }
    } while (this.#refreshAgain && !this.#stopped);
  }

  /** Adds a download; the caller shows a refusal (e.g. InvalidUrl) next to the add field. */
  async add(url: string): Promise<Outcome<DownloadView>> {
    const result = await this.#api.addDownload(url.trim(), null);
    if (result.ok) this.#applyView(result.value);
    void this.refresh();
    return result;
  }

  pause(id: number): Promise<boolean> {
    return this.#act(() => this.#api.pauseDownload(id));
  }

  resume(id: number): Promise<boolean> {
    return this.#act(() => this.#api.resumeDownload(id));
  }

  cancel(id: number): Promise<boolean> {
    return this.#act(() => this.#api.cancelDownload(id));
  }

  async remove(id: number, deleteFile: boolean): Promise<boolean> {
    const result = await this.#api.removeDownload(id, deleteFile);
    if (result.ok) {
      this.downloads = this.downloads.filter((d) => d.id !== id);
      this.#forgetProgress(id);
      this.actionError = null;
    } else {
      this.actionError = result.error;
    }
    void this.refresh();
    return result.ok;
  }

  dismissActionError(): void {
    this.actionError = null;
  }

  async #act(call: () => Promise<Outcome<DownloadView>>): Promise<boolean> {
    const result = await call();
    if (result.ok) {
      this.#applyView(result.value);
      this.actionError = null;
    } else {
      this.actionError = result.error;
    }
    void this.refresh();
    return result.ok;
  }

  /** The core's answer to an action is newer than the last snapshot for that row. */
  #applyView(view: DownloadView): void {
    const index = this.downloads.findIndex((d) => d.id === view.id);
    this.downloads =
      index === -1
        ? [...this.downloads, view]
        : this.downloads.map((d, i) => (i === index ? view : d));
    this.#forgetProgress(view.id);
  }

  #forgetProgress(id: number): void {
    if (!this.progress.has(id)) return;
    const next = new Map(this.progress);
    next.delete(id);
    this.progress = next;
  }
}
