// Haul's own updates, shared by the update prompt and the Settings page's "Check now".
// The core finds an update (at start-up, from the tray, or when asked), downloads it and
// checks its signature; nothing is installed until the user restarts from the prompt.
// One instance lives for the main window.

import {
  api as coreApi,
  type CoreError,
  type Outcome,
  type UpdateOffer,
  type UpdateProgress,
} from "$lib/ipc/api";

export type UpdatesApi = Pick<
  typeof coreApi,
  | "checkForUpdate"
  | "pendingUpdate"
  | "downloadUpdate"
  | "installUpdate"
  | "onUpdateAvailable"
  | "onUpdateProgress"
>;

/** Where the offered update stands; the prompt's `data-state`. */
export type UpdatePhase =
  | { state: "offered" }
  /** `progress` is null until the first progress event. */
  | { state: "downloading"; progress: UpdateProgress | null }
  /** Downloaded and its signature verified; `installing` once "Restart now" was pressed. */
  | { state: "ready"; installing: boolean }
  | { state: "failed"; error: CoreError };

export class UpdatesStore {
  /** The update on offer; null until the core finds one. */
  offer = $state.raw<UpdateOffer | null>(null);
  phase = $state.raw<UpdatePhase>({ state: "offered" });
  /** The prompt is on screen ("Later" hides it; the offer stays). */
  open = $state(false);
  /** Bumped when the user asked for the prompt (Check now): it then takes the focus. */
  focusRequest = $state(0);

  readonly #api: UpdatesApi;
  #unlisten: (() => void)[] = [];
  #stopped = false;

  constructor(api: UpdatesApi = coreApi) {
    this.#api = api;
  }

  /**
   * Listens for updates the core finds and for download progress, then asks for one the
   * start-up check found before the window was listening.
   */
  async start(): Promise<void> {
    this.#stopped = false;
    const subscriptions = await Promise.all([
      this.#api.onUpdateAvailable((offer) => this.offerUpdate(offer)),
      this.#api.onUpdateProgress((progress) => this.applyProgress(progress)),
    ]);
    for (const subscription of subscriptions) {
      if (!subscription.ok) continue; // no prompt then; "Check now" still works
      if (this.#stopped) subscription.value();
      else this.#unlisten.push(subscription.value);
    }
    if (this.#stopped) return;
    const pending = await this.#api.pendingUpdate();
    if (pending.ok && pending.value !== null && !this.#stopped) this.offerUpdate(pending.value);
  }

  stop(): void {
    this.#stopped = true;
    for (const unlisten of this.#unlisten) unlisten();
    this.#unlisten = [];
  }

  /**
   * Shows the prompt for an update. The same version keeps its download (in progress or
   * verified); another version, or one that failed, starts over at the offer.
   */
  offerUpdate(offer: UpdateOffer, { focus = false }: { focus?: boolean } = {}): void {
    const same = this.offer?.version === offer.version;
    this.offer = offer;
    if (!same || this.phase.state === "failed") this.phase = { state: "offered" };
    this.open = true;
    if (focus) this.focusRequest += 1;
  }

  /** The Settings page's "Check now": opens the prompt when there is an update. */
  async checkNow(): Promise<Outcome<UpdateOffer | null>> {
    const result = await this.#api.checkForUpdate();
    if (result.ok && result.value !== null) this.offerUpdate(result.value, { focus: true });
    return result;
  }

  /** "Download and verify": resolves once the core has verified the signature, or refused it. */
  async download(): Promise<void> {
    if (this.offer === null || this.phase.state === "downloading") return;
    this.phase = { state: "downloading", progress: null };
    const result = await this.#api.downloadUpdate();
    if (this.phase.state !== "downloading") return; // another version was offered meanwhile
    this.phase = result.ok ? { state: "ready", installing: false } : { state: "failed", error: result.error };
    // Hidden during the download: the outcome brings the prompt back.
    this.open = true;
  }

  applyProgress(progress: UpdateProgress): void {
    if (this.phase.state === "downloading") this.phase = { state: "downloading", progress };
  }

  /** "Restart now": the core installs the verified update and restarts Haul. */
  async install(): Promise<void> {
    if (this.phase.state !== "ready" || this.phase.installing) return;
    this.phase = { state: "ready", installing: true };
    const result = await this.#api.installUpdate();
    // On success Haul restarts; still here means it did not.
    if (!result.ok) this.phase = { state: "failed", error: result.error };
  }

  /** "Later" / "Close" / "Hide": the prompt goes; a download in progress goes on. */
  dismiss(): void {
    this.open = false;
  }
}
