// People and faces for unit tests: every field present, as the core sends them.

import type { FacesStatus, FaceView, PersonView } from "$lib/ipc/api";

export function person(id: number, patch: Partial<PersonView> = {}): PersonView {
  return { id, name: null, hidden: false, faceCount: 2, itemCount: 2, coverFaceId: id * 10, ...patch };
}

export function face(id: number, patch: Partial<FaceView> = {}): FaceView {
  return {
    id,
    itemId: 1,
    x: 0.1,
    y: 0.1,
    width: 0.2,
    height: 0.25,
    score: 0.9,
    quality: 0.8,
    personId: null,
    personName: null,
    pinned: false,
    reference: false,
    ...patch,
  };
}

export function facesStatus(patch: Partial<FacesStatus> = {}): FacesStatus {
  return {
    modelsInstalled: true,
    missingModels: [],
    pending: 0,
    analysed: 10,
    failed: 0,
    faces: 12,
    people: 2,
    error: null,
    ...patch,
  };
}
