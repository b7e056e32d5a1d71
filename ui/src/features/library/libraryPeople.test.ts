import { describe, expect, it } from "vitest";
import type { Outcome, PersonView } from "$lib/ipc/api";
import { person } from "../people/fixtures";
import { LibraryPeople, type LibraryPeopleApi } from "./libraryPeople.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

describe("LibraryPeople", () => {
  it("offers the visible named people and follows changes", async () => {
    let people: PersonView[] = [person(1, { name: "Joe" }), person(2), person(3, { name: "Anna", hidden: true })];
    let changed = () => {};
    const calls: boolean[] = [];
    const api: LibraryPeopleApi = {
      async peopleList(includeHidden) {
        calls.push(includeHidden);
        return ok(people);
      },
      async onPeopleChanged(handler) {
        changed = handler;
        return ok(() => {});
      },
    };
    const store = new LibraryPeople(api);
    let told = 0;
    await store.start(() => (told += 1));
    expect(store.all).toHaveLength(3);
    expect(store.named.map((p) => p.id)).toEqual([1]);
    expect(calls).toEqual([true]);
    people = [...people, person(4, { name: "Barack" })];
    changed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.named.map((p) => p.id)).toEqual([4, 1]);
    expect(told).toBe(1);
    store.stop();
  });
});
