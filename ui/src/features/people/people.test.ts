import { describe, expect, it } from "vitest";
import type { CoreError, FaceView, LibraryProgress, Outcome, PersonView } from "$lib/ipc/api";
import { face, facesStatus, person } from "./fixtures";
import { PeopleStore, type PeopleApi } from "./people.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = (code: CoreError["code"], message: string): Outcome<never> => ({ ok: false, error: { code, message } });

function fakeApi(people: PersonView[], faces: FaceView[] = []) {
  const state = {
    people,
    faces,
    installed: true,
    calls: [] as string[],
    changed: () => {},
    progress: (_: LibraryProgress) => {},
    fetchFails: false,
  };
  const api: PeopleApi = {
    async facesStatus() {
      state.calls.push("facesStatus");
      return ok(facesStatus({ modelsInstalled: state.installed, people: state.people.length }));
    },
    async facesFetchModels() {
      state.calls.push("facesFetchModels");
      if (state.fetchFails) return fail("ModelUnavailable", "Install it with `haul faces models install DIR`.");
      state.installed = true;
      return ok(null);
    },
    async facesScan() {
      state.calls.push("facesScan");
      return ok({ analysed: 3, faces: 4, failed: 0, newPeople: 1 });
    },
    async facesRegroup() {
      state.calls.push("facesRegroup");
      return ok(2);
    },
    async peopleList(includeHidden) {
      state.calls.push(`peopleList(${includeHidden})`);
      return ok(state.people.filter((p) => includeHidden || !p.hidden));
    },
    async personRename(id, name) {
      if (state.people.some((p) => p.name === name && p.id !== id)) {
        return fail("InvalidInput", `Person #9 is already named "${name}": merge the two instead.`);
      }
      state.people = state.people.map((p) => (p.id === id ? { ...p, name: name || null } : p));
      return ok(state.people.find((p) => p.id === id)!);
    },
    async personSetHidden(id, hidden) {
      state.people = state.people.map((p) => (p.id === id ? { ...p, hidden } : p));
      return ok(state.people.find((p) => p.id === id)!);
    },
    async peopleMerge(from, into) {
      state.people = state.people.filter((p) => p.id !== from);
      return ok(state.people.find((p) => p.id === into)!);
    },
    async personFaces(id) {
      if (!state.people.some((p) => p.id === id)) return fail("NotFound", `There is no person #${id}.`);
      return ok(state.faces.filter((f) => f.personId === id));
    },
    async faceReject(faceId) {
      state.faces = state.faces.map((f) => (f.id === faceId ? { ...f, personId: null } : f));
      return ok(state.faces.find((f) => f.id === faceId)!);
    },
    async faceMove(faceId, personId) {
      state.faces = state.faces.map((f) => (f.id === faceId ? { ...f, personId } : f));
      return ok(state.faces.find((f) => f.id === faceId)!);
    },
    async onPeopleChanged(handler) {
      state.changed = handler;
      return ok(() => {});
    },
    async onLibraryProgress(handler) {
      state.progress = handler;
      return ok(() => {});
    },
  };
  return { api, state };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("PeopleStore", () => {
  it("loads the status and the people, hidden ones on request", async () => {
    const { api, state } = fakeApi([person(1), person(2, { hidden: true })]);
    const store = new PeopleStore(api);
    await store.start();
    expect(store.loaded).toBe(true);
    expect(store.people.map((p) => p.id)).toEqual([1]);
    expect(store.status?.people).toBe(2);
    store.setShowHidden(true);
    await settle();
    expect(store.people.map((p) => p.id)).toEqual([1, 2]);
    expect(state.calls).toContain("peopleList(true)");
  });

  it("renames in place and hands a refusal back to the card", async () => {
    const { api } = fakeApi([person(1, { name: "Joe" }), person(2)]);
    const store = new PeopleStore(api);
    await store.start();
    expect((await store.rename(2, "  Barack ")).ok).toBe(true);
    expect(store.people.find((p) => p.id === 2)?.name).toBe("Barack");
    const refused = await store.rename(2, "Joe");
    expect(refused.ok ? null : refused.error.message).toMatch(/merge the two instead/);
    expect(store.actionError).toBeNull();
  });

  it("hides a person from the grid unless hidden ones are shown", async () => {
    const { api } = fakeApi([person(1), person(2)]);
    const store = new PeopleStore(api);
    await store.start();
    await store.setHidden(2, true);
    expect(store.people.map((p) => p.id)).toEqual([1]);
  });

  it("merges, dropping the merged person at once", async () => {
    const { api } = fakeApi([person(1, { name: "Barack" }), person(2)]);
    const store = new PeopleStore(api);
    await store.start();
    expect(await store.merge(2, 1)).toBe(true);
    expect(store.people.map((p) => p.id)).toEqual([1]);
  });

  it("downloads the models, then finds faces; a refusal says how to install them", async () => {
    const { api, state } = fakeApi([]);
    state.installed = false;
    state.fetchFails = true;
    const store = new PeopleStore(api);
    await store.start();
    await store.downloadModels();
    expect(store.actionError?.code).toBe("ModelUnavailable");
    expect(store.busy).toBeNull();
    expect(state.calls).not.toContain("facesScan");

    state.fetchFails = false;
    await store.downloadModels();
    // The models first, the page shows them installed, then the faces are found.
    expect(state.calls.filter((c) => c.startsWith("faces")).slice(-4)).toEqual([
      "facesFetchModels",
      "facesStatus",
      "facesScan",
      "facesStatus",
    ]);
    expect(store.message).toBe("Analysed 3 photos: 4 faces, 1 new person.");
    expect(store.status?.modelsInstalled).toBe(true);
    expect(store.busy).toBeNull();
  });

  it("re-groups and says how many people formed", async () => {
    const { api } = fakeApi([person(1)]);
    const store = new PeopleStore(api);
    await store.start();
    await store.regroup();
    expect(store.message).toBe("Grouped again: 2 people formed.");
  });

  it("follows the faces job and reloads when people change", async () => {
    const { api, state } = fakeApi([person(1)]);
    const store = new PeopleStore(api);
    await store.start();
    state.progress({ job: "scan", done: 1, total: 4, running: true, paused: false });
    expect(store.progress).toBeNull();
    state.progress({ job: "faces", done: 1, total: 4, running: true, paused: false });
    expect(store.progress?.done).toBe(1);
    state.people = [person(1), person(3)];
    state.changed();
    await settle();
    expect(store.people.map((p) => p.id)).toEqual([1, 3]);
    state.progress({ job: "faces", done: 4, total: 4, running: false, paused: false });
    expect(store.progress).toBeNull();
    store.stop();
  });
});

describe("PersonFacesStore", () => {
  it("shows a person's faces and drops a corrected one at once", async () => {
    const { api, state } = fakeApi(
      [person(1, { name: "Barack" }), person(2)],
      [face(10, { personId: 1 }), face(11, { personId: 1 }), face(12, { personId: 2 })],
    );
    const store = new PeopleStore(api);
    await store.start();
    await store.person.open(1);
    expect(store.person.faces.map((f) => f.id)).toEqual([10, 11]);
    const rejecting = store.person.reject(store.person.faces[0]!);
    expect(store.person.pending.has(10)).toBe(true);
    await rejecting;
    expect(store.person.faces.map((f) => f.id)).toEqual([11]);
    await store.person.move(store.person.faces[0]!, 2);
    expect(store.person.faces).toEqual([]);
    expect(state.faces.find((f) => f.id === 11)?.personId).toBe(2);
  });

  it("knows when the opened person is gone", async () => {
    const { api, state } = fakeApi([person(1), person(2)]);
    const store = new PeopleStore(api);
    await store.start();
    await store.person.open(2);
    expect(store.person.gone).toBe(false);
    state.people = [person(1)];
    await store.person.reload();
    expect(store.person.gone).toBe(true);
    store.person.close();
    expect(store.person.personId).toBeNull();
  });
});
