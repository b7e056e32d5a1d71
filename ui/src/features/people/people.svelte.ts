// The People page: where face analysis stands (FacesStatus) and the people found, kept
// current by `peopleChangedEvent` and by the "faces" job's progress; naming, hiding,
// merging, re-grouping, finding faces and fetching the models. One instance lives for the
// whole window (a scan outlives the page that started it).

import {
  api as coreApi,
  type CoreError,
  type FacesStatus,
  type LibraryProgress,
  type Outcome,
  type PersonView,
} from "$lib/ipc/api";
import { scanSummary } from "./peopleModel";
import { PersonFacesStore, type PersonFacesApi } from "./personFaces.svelte";

export type PeopleApi = PersonFacesApi &
  Pick<
    typeof coreApi,
    | "facesStatus"
    | "facesFetchModels"
    | "facesScan"
    | "facesRegroup"
    | "peopleList"
    | "personRename"
    | "personSetHidden"
    | "peopleMerge"
    | "onPeopleChanged"
    | "onLibraryProgress"
  >;

/** What the page itself asked the core to do, while it runs. */
export type PeopleBusy = "downloading" | "scanning" | "regrouping" | "merging" | null;

/** While faces are being found, the figures are asked for at most this often (each call checks the models). */
const STATUS_EVERY_MS = 2000;

export class PeopleStore {
  status = $state.raw<FacesStatus | null>(null);
  people = $state.raw<PersonView[]>([]);
  showHidden = $state(false);
  loaded = $state(false);
  loadError = $state<CoreError | null>(null);
  actionError = $state<CoreError | null>(null);
  /** What the last action did ("Analysed 12 photos…"). */
  message = $state<string | null>(null);
  busy = $state<PeopleBusy>(null);
  /** The "faces" job, while it runs (a scan from here, or the background one). */
  progress = $state.raw<LibraryProgress | null>(null);
  /** The person opened from the grid. */
  readonly person: PersonFacesStore;

  readonly #api: PeopleApi;
  #unlisten: Array<() => void> = [];
  #loading: Promise<void> | null = null;
  #loadAgain = false;
  #statusTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: PeopleApi = coreApi) {
    this.#api = api;
    this.person = new PersonFacesStore(api);
  }

  async start(): Promise<void> {
    if (this.#unlisten.length === 0) {
      const changed = await this.#api.onPeopleChanged(() => {
        void this.load();
        void this.person.reload();
      });
      if (changed.ok) this.#unlisten.push(changed.value);
      const progress = await this.#api.onLibraryProgress((p) => this.#onProgress(p));
      if (progress.ok) this.#unlisten.push(progress.value);
    }
    await this.load();
  }

  stop(): void {
    for (const unlisten of this.#unlisten) unlisten();
    this.#unlisten = [];
    clearTimeout(this.#statusTimer);
    this.#statusTimer = undefined;
    // Unheard from now on: the next start asks again rather than show a finished job.
    this.progress = null;
  }

  /** Fetches the status and the people; calls made meanwhile are coalesced into one more. */
  load(): Promise<void> {
    if (this.#loading !== null) {
      this.#loadAgain = true;
      return this.#loading;
    }
    // Cleared in the same step as the last check: a call in between would be lost.
    const run = async (): Promise<void> => {
      try {
        do {
          this.#loadAgain = false;
          await this.#loadOnce();
        } while (this.#loadAgain);
      } finally {
        this.#loading = null;
      }
    };
    this.#loading = run();
    return this.#loading;
  }

  async #loadOnce(): Promise<void> {
    const [status, people] = await Promise.all([this.#api.facesStatus(), this.#api.peopleList(this.showHidden)]);
    if (status.ok) this.status = status.value;
    if (people.ok) this.people = people.value;
    this.loadError = !people.ok ? people.error : !status.ok ? status.error : null;
    this.loaded = this.loaded || people.ok;
  }

  #onProgress(progress: LibraryProgress): void {
    if (progress.job !== "faces") return;
    this.progress = progress.running ? progress : null;
    if (!progress.running) {
      clearTimeout(this.#statusTimer);
      this.#statusTimer = undefined;
      void this.load();
    } else if (this.#statusTimer === undefined) {
      this.#statusTimer = setTimeout(() => {
        this.#statusTimer = undefined;
        void this.#refreshStatus();
      }, STATUS_EVERY_MS);
    }
  }

  async #refreshStatus(): Promise<void> {
    const status = await this.#api.facesStatus();
    if (status.ok) this.status = status.value;
  }

  setShowHidden(show: boolean): void {
    if (show === this.showHidden) return;
    this.showHidden = show;
    void this.load();
  }

  /** Names a person (empty clears); the card shows a refusal next to its field. */
  async rename(id: number, name: string): Promise<Outcome<PersonView>> {
    const result = await this.#api.personRename(id, name.trim());
    if (result.ok) this.#replace(result.value);
    return result;
  }

  /** Hides or shows a person; resolves to them as they are now (null when refused). */
  async setHidden(id: number, hidden: boolean): Promise<PersonView | null> {
    const result = await this.#act(() => this.#api.personSetHidden(id, hidden));
    if (!result.ok) return null;
    this.#replace(result.value);
    return result.value;
  }

  /** Merges `from` into `into`; `from` leaves the grid at once. */
  async merge(from: number, into: number): Promise<boolean> {
    if (this.busy !== null) return false;
    this.busy = "merging";
    const result = await this.#act(() => this.#api.peopleMerge(from, into));
    this.busy = null;
    if (!result.ok) return false;
    this.people = this.people.filter((p) => p.id !== from);
    this.#replace(result.value);
    void this.load();
    return true;
  }

  /** Groups every face again; the user's corrections stay. */
  async regroup(): Promise<void> {
    if (this.busy !== null) return;
    this.busy = "regrouping";
    const result = await this.#act(() => this.#api.facesRegroup());
    this.busy = null;
    if (result.ok) this.message = `Grouped again: ${result.value === 1 ? "1 person" : `${result.value} people`} formed.`;
    void this.load();
  }

  /** Analyses the photos not analysed yet; resolves when done. */
  async scan(): Promise<void> {
    if (this.busy !== null && this.busy !== "downloading") return;
    this.busy = "scanning";
    const result = await this.#act(() => this.#api.facesScan());
    this.busy = null;
    if (result.ok) this.message = scanSummary(result.value);
    void this.load();
  }

  /** Fetches the models (first use), then finds the faces. */
  async downloadModels(): Promise<void> {
    if (this.busy !== null) return;
    this.busy = "downloading";
    const result = await this.#act(() => this.#api.facesFetchModels());
    if (!result.ok) {
      this.busy = null;
      void this.load();
      return;
    }
    await this.load();
    await this.scan();
  }

  dismiss(): void {
    this.actionError = null;
    this.message = null;
  }

  async #act<T>(call: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    this.actionError = null;
    this.message = null;
    const result = await call();
    if (!result.ok) this.actionError = result.error;
    return result;
  }

  #replace(person: PersonView): void {
    const shown = !person.hidden || this.showHidden;
    const at = this.people.findIndex((p) => p.id === person.id);
    if (at === -1) {
      if (shown) this.people = [...this.people, person];
    } else {
      this.people = shown
        ? this.people.map((p) => (p.id === person.id ? person : p))
        : this.people.filter((p) => p.id !== person.id);
    }
  }
}
