// The transfer list's state: the stored list from `listDownloads()`, live figures from
// progress snapshots, and the user's actions. One instance lives for the whole window.

import {
  api as coreApi,
  type CoreError,
  type DownloadView,
  type MoveDirection,
  type Outcome,
  type ProgressSnapshot,
  type TransferProgress,
} from "$lib/ipc/api";
import { countStates, indexProgress, mergeRows, queueEnds, totalSpeed } from "./model";
import { SpeedHistory, type SpeedSample } from "./speedHistory";

export type TransfersApi = Pick<
  typeof coreApi,
  | "listDownloads"
  | "addDownload"
  | "pauseDownload"
  | "resumeDownload"
  | "cancelDownload"
  | "removeDownload"
  | "moveDownload"
  | "pauseAll"
  | "resumeAll"
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
  /** The first and last unfinished downloads: the ends of the queue for Move up/down. */
  readonly queueEnds = $derived(queueEnds(this.downloads));
  /** Bumped whenever a snapshot adds speed samples, so readers of the history update. */
  historyVersion = $state(0);

  readonly #api: TransfersApi;
  readonly #clock: () => number;
  /** Speed samples per download in the snapshot; plain (not reactive), see historyVersion. */
  readonly #history = new Map<number, SpeedHistory>();
  #lastRevision: number | null = null;
  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;
  #unlisten: (() => void) | null = null;
  #stopped = false;

  constructor(api: TransfersApi = coreApi, clock: () => number = () => Date.now()) {
    this.#api = api;
    this.#clock = clock;
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
    this.#recordSpeeds(snapshot.transfers);
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

  /**
   * Moves a queued or paused download one place up or down the queue. Resolves once the
   * list is refetched in its new order (the core answers with nothing to apply).
   */
  async move(id: number, direction: MoveDirection): Promise<boolean> {
    const result = await this.#api.moveDownload(id, direction);
    this.actionError = result.ok ? null : result.error;
    await this.refresh();
    return result.ok;
  }

  pauseAll(): Promise<boolean> {
    return this.#actOnAll(() => this.#api.pauseAll());
  }

  resumeAll(): Promise<boolean> {
    return this.#actOnAll(() => this.#api.resumeAll());
  }

  /**
   * The speed of a download over the last minutes (oldest first), for the details panel.
   * Empty once it leaves the snapshots (paused, finished). Reading it subscribes to updates.
   */
  speedSamples(id: number): SpeedSample[] {
    void this.historyVersion;
    return this.#history.get(id)?.samples() ?? [];
  }

  dismissActionError(): void {
    this.actionError = null;
  }

  async #actOnAll(call: () => Promise<Outcome<null>>): Promise<boolean> {
    const result = await call();
    this.actionError = result.ok ? null : result.error;
    await this.refresh();
    return result.ok;
  }

  #recordSpeeds(transfers: readonly TransferProgress[]): void {
    const now = this.#clock();
    const live = new Set<number>();
    for (const transfer of transfers) {
      live.add(transfer.id);
      let history = this.#history.get(transfer.id);
      if (history === undefined) {
        history = new SpeedHistory();
        this.#history.set(transfer.id, history);
      }
      history.push(now, transfer.state === "active" ? transfer.bytesPerSecond : 0);
    }
    for (const id of this.#history.keys()) if (!live.has(id)) this.#history.delete(id);
    this.historyVersion += 1;
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
