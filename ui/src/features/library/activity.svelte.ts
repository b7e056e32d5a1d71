// The library's background work (folder scans, catching up with finished downloads), for
// the status bar. Lives for the whole window: a scan outlives the page that started it.

import { api as coreApi, type CoreError, type LibraryProgress } from "$lib/ipc/api";

export type ActivityApi = Pick<typeof coreApi, "onLibraryProgress" | "librarySetPaused">;

export class LibraryActivityStore {
  progress = $state<LibraryProgress | null>(null);
  /** Why the last pause or resume was refused. */
  error = $state<CoreError | null>(null);

  readonly #api: ActivityApi;
  #unlisten: (() => void) | null = null;
  #stopped = false;

  constructor(api: ActivityApi = coreApi) {
    this.#api = api;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    const subscription = await this.#api.onLibraryProgress((progress) => {
      this.progress = progress;
    });
    if (!subscription.ok) return;
    if (this.#stopped) subscription.value();
    else this.#unlisten = subscription.value;
  }

  /**
   * Pauses or resumes the work. A paused scan sends no progress, so the answer is shown at
   * once rather than waiting for the next event.
   */
  async setPaused(paused: boolean): Promise<void> {
    const result = await this.#api.librarySetPaused(paused);
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.error = null;
    if (this.progress !== null) this.progress = { ...this.progress, paused };
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
  }
}
