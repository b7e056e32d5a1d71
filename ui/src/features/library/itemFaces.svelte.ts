// The faces in the photo the viewer shows, and the corrections made on them there
// ("This is…", "Not this person", "Nobody"). Fetched again when the photo changes and
// when people change (a name given elsewhere, a scan that found them).

import { api as coreApi, type CoreError, type FaceView, type Outcome } from "$lib/ipc/api";
import type { FaceNaming } from "./faceNaming";

export type ItemFacesApi = Pick<
  typeof coreApi,
  "itemFaces" | "faceMove" | "faceReject" | "faceName" | "personRename" | "onPeopleChanged"
>;

/** Whether the viewer outlines faces; kept while the window is open. */
export const faceBoxes = $state({ visible: true });

export class ItemFacesStore {
  itemId = $state<number | null>(null);
  faces = $state.raw<FaceView[]>([]);
  /** Why the last correction was refused. */
  error = $state<CoreError | null>(null);
  busy = $state(false);

  readonly #api: ItemFacesApi;
  #unlisten: (() => void) | null = null;
  #stopped = false;
  #generation = 0;

  constructor(api: ItemFacesApi = coreApi) {
    this.#api = api;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    const subscription = await this.#api.onPeopleChanged(() => void this.reload());
    if (!subscription.ok) return;
    if (this.#stopped) subscription.value();
    else this.#unlisten = subscription.value;
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Shows another item's faces (null: none, e.g. a video). */
  show(itemId: number | null): Promise<void> {
    if (itemId === this.itemId) return Promise.resolve();
    this.itemId = itemId;
    this.faces = [];
    this.error = null;
    return this.reload();
  }

  /** Fetches the faces again; the newest request wins, and a refusal leaves the boxes out. */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    const itemId = this.itemId;
    if (itemId === null) return;
    const result = await this.#api.itemFaces(itemId);
    if (generation !== this.#generation || itemId !== this.itemId) return;
    this.faces = result.ok ? result.value : [];
  }

  /** Carries out a "This is…" plan (see `planNaming`). */
  name(face: FaceView, plan: FaceNaming): Promise<Outcome<unknown>> {
    switch (plan.kind) {
      case "move":
        return this.#correct(() => this.#api.faceMove(face.id, plan.person.id));
      case "reference":
        return this.#correct(() => this.#api.faceName(face.id, plan.name));
      case "rename":
        return this.#correct(() => this.#api.personRename(plan.personId, plan.name));
      case "none":
        return Promise.resolve({ ok: true, value: null });
    }
  }

  /** "Not this person". */
  reject(face: FaceView): Promise<Outcome<unknown>> {
    return this.#correct(() => this.#api.faceReject(face.id));
  }

  /** "Nobody": the face belongs to no one, and grouping leaves it so. */
  nobody(face: FaceView): Promise<Outcome<unknown>> {
    return this.#correct(() => this.#api.faceMove(face.id, null));
  }

  async #correct(call: () => Promise<Outcome<unknown>>): Promise<Outcome<unknown>> {
    this.busy = true;
    this.error = null;
    const result = await call();
    this.busy = false;
    if (result.ok) void this.reload();
    else this.error = result.error;
    return result;
  }
}
