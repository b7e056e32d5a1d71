import { describe, expect, it } from "vitest";
import type { FaceView, Outcome } from "$lib/ipc/api";
import { face, person } from "../people/fixtures";
import { ItemFacesStore, type ItemFacesApi } from "./itemFaces.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

function fakeApi(faces: FaceView[]) {
  const state = { faces, calls: [] as string[], changed: () => {} };
  const api: ItemFacesApi = {
    async itemFaces(itemId) {
      state.calls.push(`itemFaces(${itemId})`);
      return ok(state.faces.filter((f) => f.itemId === itemId));
    },
    async faceMove(faceId, personId) {
      state.calls.push(`faceMove(${faceId}, ${personId})`);
      state.faces = state.faces.map((f) => (f.id === faceId ? { ...f, personId } : f));
      return ok(state.faces.find((f) => f.id === faceId)!);
    },
    async faceReject(faceId) {
      state.calls.push(`faceReject(${faceId})`);
      return { ok: false, error: { code: "InvalidState", message: `Face #${faceId} belongs to nobody.` } };
    },
    async faceName(faceId, name) {
      state.calls.push(`faceName(${faceId}, ${name})`);
      return ok(person(9, { name }));
    },
    async personRename(id, name) {
      state.calls.push(`personRename(${id}, ${name})`);
      return ok(person(id, { name }));
    },
    async onPeopleChanged(handler) {
      state.changed = handler;
      return ok(() => {});
    },
  };
  return { api, state };
}

describe("ItemFacesStore", () => {
  const faces = [face(1, { itemId: 5 }), face(2, { itemId: 5 }), face(3, { itemId: 6 })];

  it("shows the faces of the item in view, again when people change", async () => {
    const { api, state } = fakeApi(faces);
    const store = new ItemFacesStore(api);
    await store.start();
    await store.show(5);
    expect(store.faces.map((f) => f.id)).toEqual([1, 2]);
    await store.show(null);
    expect(store.faces).toEqual([]);
    await store.show(6);
    state.faces = [...state.faces, face(4, { itemId: 6 })];
    state.changed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.faces.map((f) => f.id)).toEqual([3, 4]);
  });

  it("carries out each naming plan with its call", async () => {
    const { api, state } = fakeApi(faces);
    const store = new ItemFacesStore(api);
    await store.show(5);
    const target = store.faces[0]!;
    await store.name(target, { kind: "move", person: person(7, { name: "Joe" }) });
    await store.name(target, { kind: "reference", name: "Michelle" });
    await store.name(target, { kind: "rename", personId: 2, name: "Sasha" });
    await store.nobody(target);
    expect(state.calls.filter((c) => !c.startsWith("itemFaces"))).toEqual([
      "faceMove(1, 7)",
      "faceName(1, Michelle)",
      "personRename(2, Sasha)",
      "faceMove(1, null)",
    ]);
    expect((await store.name(target, { kind: "none" })).ok).toBe(true);
  });

  it("keeps a refusal for the menu", async () => {
    const { api } = fakeApi(faces);
    const store = new ItemFacesStore(api);
    await store.show(5);
    await store.reject(store.faces[0]!);
    expect(store.error?.message).toBe("Face #1 belongs to nobody.");
    expect(store.busy).toBe(false);
  });
});
