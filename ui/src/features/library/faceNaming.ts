// "This is…" on a face in the viewer: what naming it does with the core's calls. An
// existing name moves the face to that person. A new name given to a face of an unnamed
// group names the whole group (they are one person); any other face becomes a reference
// photo of a new person of that name (`faceName`).

import type { FaceView, PersonView } from "$lib/ipc/api";
import { findByName, personLabel } from "../people/peopleModel";

export type FaceNaming =
  /** Nothing to do: no name, or the face already is that person. */
  | { kind: "none" }
  /** `faceMove(face, person)`. */
  | { kind: "move"; person: PersonView }
  /** `faceName(face, name)`: the face starts (or joins) the person of that name. */
  | { kind: "reference"; name: string }
  /** `personRename(personId, name)`: the face's unnamed group gets the name. */
  | { kind: "rename"; personId: number; name: string };

export function planNaming(
  face: FaceView,
  people: readonly PersonView[],
  typed: string,
): FaceNaming {
  const name = typed.trim();
  if (name === "") return { kind: "none" };
  const existing = findByName(people, name);
  if (existing !== undefined) return existing.id === face.personId ? { kind: "none" } : { kind: "move", person: existing };
  const group = face.personId === null ? undefined : people.find((p) => p.id === face.personId);
  if (group !== undefined && (group.name?.trim() ?? "") === "") return { kind: "rename", personId: group.id, name };
  return { kind: "reference", name };
}

/** The named people a typed name may mean: those starting with it first, then containing it. */
export function suggestPeople(named: readonly PersonView[], typed: string, limit = 6): PersonView[] {
  const text = typed.trim().toLocaleLowerCase();
  if (text === "") return named.slice(0, limit);
  const label = (p: PersonView) => personLabel(p).toLocaleLowerCase();
  const starting = named.filter((p) => label(p).startsWith(text));
  const containing = named.filter((p) => !label(p).startsWith(text) && label(p).includes(text));
  return [...starting, ...containing].slice(0, limit);
}

/** What the face's box says: its person's name, nothing for an unnamed one. */
export function boxLabel(face: Pick<FaceView, "personName">): string {
  return face.personName?.trim() ?? "";
}
