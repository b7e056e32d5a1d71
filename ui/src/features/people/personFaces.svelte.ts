// The person opened on the People page: their best faces, and the corrections made there
// ("Not this person", "Move to…"). A corrected face leaves the list at once; the change
// event that follows fetches the list again. A person whose last face left is gone.

import { api as coreApi, type CoreError, type FaceView, type Outcome } from "$lib/ipc/api";

export type PersonFacesApi = Pick<typeof coreApi, "personFaces" | "faceReject" | "faceMove">;

/** Faces shown for one person. */
export const FACE_LIMIT = 500;

export class PersonFacesStore {
  /** The opened person; null on the grid. */
  personId = $state<number | null>(null);
  faces = $state.raw<FaceView[]>([]);
  loaded = $state(false);
  loadError = $state<CoreError | null>(null);
  actionError = $state<CoreError | null>(null);
  /** Faces with a correction on its way. */
  pending = $state.raw<ReadonlySet<number>>(new Set());

  readonly #api: PersonFacesApi;
  #generation = 0;

  constructor(api: PersonFacesApi = coreApi) {
    this.#api = api;
  }

  open(id: number): Promise<void> {
    if (id !== this.personId) {
      this.personId = id;
      this.faces = [];
      this.loaded = false;
      this.loadError = null;
      this.actionError = null;
    }
    return this.reload();
  }

  close(): void {
    this.personId = null;
    this.faces = [];
    this.loaded = false;
    this.#generation += 1;
  }

  /** Fetches the opened person's faces again; the newest request wins. */
  async reload(): Promise<void> {
    const id = this.personId;
    if (id === null) return;
    const generation = ++this.#generation;
    const result = await this.#api.personFaces(id, FACE_LIMIT);
    if (generation !== this.#generation) return;
    if (result.ok) {
      this.faces = result.value;
      this.loadError = null;
    } else {
      this.loadError = result.error;
    }
    this.loaded = true;
  }

  /** Whether the opened person no longer exists (merged away, or their last face moved). */
  get gone(): boolean {
    return this.loadError?.code === "NotFound";
  }

  /** "Not this person": the face leaves this person and never comes back. */
  reject(face: FaceView): Promise<Outcome<FaceView>> {
    return this.#correct(face, () => this.#api.faceReject(face.id));
  }

  /** Moves a face to another person, or to nobody (null). */
  move(face: FaceView, personId: number | null): Promise<Outcome<FaceView>> {
    return this.#correct(face, () => this.#api.faceMove(face.id, personId));
  }

  async #correct(face: FaceView, call: () => Promise<Outcome<FaceView>>): Promise<Outcome<FaceView>> {
    this.pending = new Set([...this.pending, face.id]);
    const result = await call();
    const pending = new Set(this.pending);
    pending.delete(face.id);
    this.pending = pending;
    if (result.ok) {
      this.actionError = null;
      if (result.value.personId !== this.personId) this.faces = this.faces.filter((f) => f.id !== face.id);
      void this.reload();
    } else {
      this.actionError = result.error;
    }
    return result;
  }
}
