// The transfer list's state: the stored downloads and debrid tasks from `listDownloads()`
// and `listTasks()`, live figures from progress snapshots, and the user's actions.
// One instance lives for the whole window.

import {
  api as coreApi,
  type AddTaskOptions,
  type CoreError,
  type DownloadView,
  type MoveDirection,
  type Outcome,
  type ProgressSnapshot,
  type TaskView,
  type TransferProgress,
} from "$lib/ipc/api";
import { countStates, indexProgress, mergeRows, queueEnds, snapshotSpeed } from "./model";
import { SpeedHistory, type SpeedSample } from "./speedHistory";
import { countTransfers, fileDownloadIds, sortTasks, taskRow } from "./tasks";

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
  | "listTasks"
  | "addTask"
  | "addTorrent"
  | "selectTaskFiles"
  | "pauseTask"
  | "resumeTask"
  | "retryTask"
  | "cancelTask"
  | "removeTask"
>;

export class TransfersStore {
  /** The list as the core last returned it (plus the results of our own actions). */
  downloads = $state.raw<DownloadView[]>([]);
  /** Debrid tasks as the core last returned them (plus the results of our own actions). */
  tasks = $state.raw<TaskView[]>([]);
  /** The task whose files the user is choosing (the select dialog is open), if any. */
  choosing = $state<number | null>(null);
  /** Live figures of active transfers, from the latest snapshot. */
  progress = $state.raw<ReadonlyMap<number, TransferProgress>>(new Map());
  /** False until the first list has arrived. */
  loaded = $state(false);
  /** Why the list or the progress feed could not be loaded; cleared by the next good list. */
  loadError = $state<CoreError | null>(null);
  /** The last row action the core refused (pause, resume, cancel, remove). */
  actionError = $state<CoreError | null>(null);

  readonly rows = $derived(mergeRows(this.downloads, this.progress));
  /** Counts of plain downloads (what Pause all / Resume all act on). */
  readonly counts = $derived(countStates(this.rows));
  readonly #sortedTasks = $derived(sortTasks(this.tasks));
  readonly taskRows = $derived(this.#sortedTasks.map((task) => taskRow(task, this.progress)));
  readonly choosingTask = $derived(this.tasks.find((t) => t.id === this.choosing) ?? null);
  /** Downloads and tasks together, for the status bar. */
  readonly statusCounts = $derived(countTransfers(this.counts, this.tasks));
  /** Everything the core is downloading now, task files included. */
  readonly speed = $derived(snapshotSpeed(this.progress));
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
  /** Bumped when an action's answer is applied: a list fetched before it is older. */
  #localChanges = 0;
  #unlisten: (() => void) | null = null;
  #stopped = false;
  /** Tasks added with "let me choose": the select dialog opens when they reach `selecting`. */
  readonly #awaitingChoice = new Set<number>();

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
      const changesBefore = this.#localChanges;
      // One revision covers both lists: fetch them together.
      const [downloads, tasks] = await Promise.all([this.#api.listDownloads(), this.#api.listTasks()]);
      if (this.#localChanges !== changesBefore) {
        // An action's answer arrived meanwhile and is newer than these lists: fetch again.
        this.#refreshAgain = true;
        continue;
      }
      if (downloads.ok) {
        this.downloads = downloads.value;
        this.loaded = true;
      }
      if (tasks.ok) this.#setTasks(tasks.value);
      this.loadError = !downloads.ok ? downloads.error : !tasks.ok ? tasks.error : null;
    } while (this.#refreshAgain && !this.#stopped);
  }

  /** Adds a download; the caller shows a refusal (e.g. InvalidUrl) next to the add field. */
  async add(url: string): Promise<Outcome<DownloadView>> {
    const result = await this.#api.addDownload(url.trim(), null);
    if (result.ok) this.#applyView(result.value);
    void this.refresh();
    return result;
  }

  /**
   * Adds a debrid task from a magnet or .torrent path, or from a dropped .torrent's bytes.
   * The caller (the add dialog) shows a refusal. With manual selection, the select dialog
   * opens by itself once the provider has listed the files.
   */
  async addTask(
    source: { text: string } | { bytes: number[] },
    options: AddTaskOptions,
  ): Promise<Outcome<TaskView>> {
    const result =
      "text" in source
        ? await this.#api.addTask(source.text.trim(), options)
        : await this.#api.addTorrent(source.bytes, options);
    if (result.ok) {
      if (options.selection?.mode === "manual") this.#awaitingChoice.add(result.value.id);
      this.#applyTask(result.value);
    }
    void this.refresh();
    return result;
  }

  /** Opens the select dialog for a task (its "Choose files" button). */
  chooseFiles(id: number): void {
    this.#awaitingChoice.delete(id);
    this.choosing = id;
  }

  closeChooser(): void {
    this.choosing = null;
  }

  /** Sends the user's choice; on success the dialog closes, a refusal is the dialog's to show. */
  async selectFiles(id: number, indexes: number[]): Promise<Outcome<TaskView>> {
    const result = await this.#api.selectTaskFiles(id, indexes);
    if (result.ok) {
      this.#applyTask(result.value);
      if (this.choosing === id) this.choosing = null;
    }
    void this.refresh();
    return result;
  }

  pauseTask(id: number): Promise<boolean> {
    return this.#actOnTask(() => this.#api.pauseTask(id));
  }

  resumeTask(id: number): Promise<boolean> {
    return this.#actOnTask(() => this.#api.resumeTask(id));
  }

  retryTask(id: number): Promise<boolean> {
    return this.#actOnTask(() => this.#api.retryTask(id));
  }

  cancelTask(id: number): Promise<boolean> {
    return this.#actOnTask(() => this.#api.cancelTask(id));
  }

  async removeTask(id: number, deleteFiles: boolean): Promise<boolean> {
    const result = await this.#api.removeTask(id, deleteFiles);
    if (result.ok) {
      this.#localChanges += 1;
      const task = this.tasks.find((t) => t.id === id);
      this.tasks = this.tasks.filter((t) => t.id !== id);
      this.#awaitingChoice.delete(id);
      if (task) this.#forgetProgress(...fileDownloadIds(task));
      if (this.choosing === id) this.choosing = null;
      this.actionError = null;
    } else {
      this.actionError = result.error;
    }
    void this.refresh();
    return result.ok;
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
      this.#localChanges += 1;
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

  async #actOnTask(call: () => Promise<Outcome<TaskView>>): Promise<boolean> {
    const result = await call();
    if (result.ok) {
      this.#applyTask(result.value);
      this.actionError = null;
    } else {
      this.actionError = result.error;
    }
    void this.refresh();
    return result.ok;
  }

  /** The core's answer to an action is newer than the last snapshot for that row. */
  #applyView(view: DownloadView): void {
    this.#localChanges += 1;
    const index = this.downloads.findIndex((d) => d.id === view.id);
    this.downloads =
      index === -1
        ? [...this.downloads, view]
        : this.downloads.map((d, i) => (i === index ? view : d));
    this.#forgetProgress(view.id);
  }

  /** Like #applyView for a task: its files' downloads come with it, newer than the snapshot. */
  #applyTask(view: TaskView): void {
    this.#localChanges += 1;
    const index = this.tasks.findIndex((t) => t.id === view.id);
    this.#setTasks(
      index === -1 ? [...this.tasks, view] : this.tasks.map((t, i) => (i === index ? view : t)),
    );
    this.#forgetProgress(...fileDownloadIds(view));
  }

  #setTasks(tasks: TaskView[]): void {
    this.tasks = tasks;
    for (const id of this.#awaitingChoice) {
      const task = tasks.find((t) => t.id === id);
      if (task?.state === "selecting" && this.choosing === null) {
        this.#awaitingChoice.delete(id);
        this.choosing = id;
      } else if (task !== undefined && ["downloading", "verifying", "completed", "cancelled"].includes(task.state)) {
        // Chosen elsewhere (e.g. the CLI): nothing left to ask. A task missing from the
        // list is not dropped: a fetch that began before the add does not have it yet.
        this.#awaitingChoice.delete(id);
      }
    }
  }

  #forgetProgress(...ids: number[]): void {
    if (!ids.some((id) => this.progress.has(id))) return;
    const next = new Map(this.progress);
    for (const id of ids) next.delete(id);
    this.progress = next;
  }
}
