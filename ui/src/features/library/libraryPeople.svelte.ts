// The people the Library knows (for its People filter and the viewer's "This is…"),
// hidden ones too so that names and the filter's picks still resolve; fetched again when
// people change. One instance per Library page.

import { api as coreApi, type PersonView } from "$lib/ipc/api";
import { namedPeople } from "../people/peopleModel";

export type LibraryPeopleApi = Pick<typeof coreApi, "peopleList" | "onPeopleChanged">;

export class LibraryPeople {
  /** Everyone, hidden people included. */
  all = $state.raw<PersonView[]>([]);
  /** Visible people with a name, alphabetically: what the filter and "This is…" offer. */
  readonly named = $derived(namedPeople(this.all));

  readonly #api: LibraryPeopleApi;
  #unlisten: (() => void) | null = null;
  #stopped = false;
  #generation = 0;

  constructor(api: LibraryPeopleApi = coreApi) {
    this.#api = api;
  }

  /** Listens for changes of people (`onchanged` too: the gallery may be filtered by them) and loads. */
  async start(onchanged: () => void = () => {}): Promise<void> {
    this.#stopped = false;
    if (this.#unlisten === null) {
      const subscription = await this.#api.onPeopleChanged(() => {
        void this.load();
        onchanged();
      });
      if (subscription.ok) {
        if (this.#stopped) subscription.value();
        else this.#unlisten = subscription.value;
      }
    }
    await this.load();
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Fetches the people; a refusal leaves the last list (the filter and names are extras). */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    const result = await this.#api.peopleList(true);
    if (generation === this.#generation && result.ok) this.all = result.value;
  }
}
