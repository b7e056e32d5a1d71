// The People page's wording and order: names first (alphabetical), then the unnamed groups
// (most photos first); what a merge keeps; where face analysis stands; which state the
// page is in. Pure, so the page and its tests agree.

import { plural } from "$lib/format";
import type { FaceScanReport, FacesStatus, PersonView } from "$lib/ipc/api";

/** The models' download size, for the button that fetches them. */
export const MODELS_SIZE = "about 23 MB";
/** The command that installs the models from a folder instead. */
export const INSTALL_COMMAND = "haul faces models install DIR";

/** A person's name as shown, or "Unnamed". */
export function personLabel(person: Pick<PersonView, "name">): string {
  const name = person.name?.trim() ?? "";
  return name === "" ? "Unnamed" : name;
}

export function isNamed(person: Pick<PersonView, "name">): boolean {
  return (person.name?.trim() ?? "") !== "";
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

/** Named people alphabetically, then unnamed groups with the most photos first (ties by id). */
export function comparePeople(a: PersonView, b: PersonView): number {
  const named = Number(isNamed(b)) - Number(isNamed(a));
  if (named !== 0) return named;
  if (isNamed(a)) return collator.compare(personLabel(a), personLabel(b)) || a.id - b.id;
  return b.itemCount - a.itemCount || b.faceCount - a.faceCount || a.id - b.id;
}

/** The page's two sections: people with a name, then the unnamed groups below them. */
export function groupPeople(people: readonly PersonView[]): { named: PersonView[]; unnamed: PersonView[] } {
  const sorted = [...people].sort(comparePeople);
  return { named: sorted.filter(isNamed), unnamed: sorted.filter((p) => !isNamed(p)) };
}

/** Visible named people, alphabetically: what the gallery's filter and "This is…" offer. */
export function namedPeople(people: readonly PersonView[]): PersonView[] {
  return people.filter((p) => isNamed(p) && !p.hidden).sort(comparePeople);
}

/** The person with this name (case and surrounding spaces ignored, hidden ones too). */
export function findByName(people: readonly PersonView[], name: string): PersonView | undefined {
  const wanted = name.trim();
  if (wanted === "") return undefined;
  return people.find((p) => isNamed(p) && collator.compare(personLabel(p), wanted) === 0);
}

/** Where a face can be moved from this person: everyone else, named first. */
export function moveTargets(people: readonly PersonView[], current: number | null): PersonView[] {
  return people.filter((p) => p.id !== current).sort(comparePeople);
}

/**
 * Which of two people the other is merged into: the named one keeps its name; between two
 * named or two unnamed people, the one with more faces (ties: the first picked).
 */
export function mergePlan(first: PersonView, second: PersonView): { from: PersonView; into: PersonView } {
  if (isNamed(first) !== isNamed(second)) {
    return isNamed(first) ? { from: second, into: first } : { from: first, into: second };
  }
  return second.faceCount > first.faceCount ? { from: first, into: second } : { from: second, into: first };
}

function describe(person: PersonView): string {
  const photos = plural(person.itemCount, "photo");
  return isNamed(person) ? `“${personLabel(person)}” (${photos})` : `an unnamed person (${photos})`;
}

/** The merge dialog's question, naming both. */
export function mergeQuestion(plan: { from: PersonView; into: PersonView }): { title: string; message: string } {
  const { from, into } = plan;
  const title =
    isNamed(into) && isNamed(from)
      ? `Merge “${personLabel(into)}” and “${personLabel(from)}”?`
      : isNamed(into)
        ? `Merge “${personLabel(into)}” with an unnamed person?`
        : "Merge these two unnamed people?";
  const result = isNamed(into)
    ? `one person named “${personLabel(into)}”${isNamed(from) ? `; the name “${personLabel(from)}” is dropped` : ""}`
    : "one unnamed person";
  return {
    title,
    message: `${capitalise(`${describe(into)} and ${describe(from)}`)} become ${result}. Faces moved by hand stay where you put them.`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The toolbar's figures: "120 analysed · 30 to analyse · 2 failed" (failed only when some did). */
export function statusFigures(status: FacesStatus | null): string {
  if (status === null) return "";
  const parts = [`${status.analysed.toLocaleString()} analysed`, `${status.pending.toLocaleString()} to analyse`];
  if (status.failed > 0) parts.push(`${status.failed.toLocaleString()} failed`);
  return parts.join(" · ");
}

/** What a finished scan found, in a sentence. */
export function scanSummary(report: FaceScanReport): string {
  if (report.analysed === 0 && report.failed === 0) return "Every photo was already analysed.";
  const found = `Analysed ${plural(report.analysed, "photo")}: ${plural(report.faces, "face")}, ${plural(report.newPeople, "new person", "new people")}.`;
  return report.failed > 0 ? `${found} ${plural(report.failed, "photo")} could not be read.` : found;
}

export type PageState =
  | "loading"
  /** Face recognition needs its models: offer to download them (or the CLI). */
  | "no-models"
  /** Models installed, nothing analysed yet: offer Find faces. */
  | "not-analysed"
  /** Photos analysed, nobody grouped yet (or everyone hidden). */
  | "no-people"
  | "people";

export function pageState(status: FacesStatus | null, people: readonly PersonView[]): PageState {
  if (people.length > 0) return "people";
  if (status === null) return "loading";
  if (!status.modelsInstalled) return "no-models";
  if (status.analysed === 0 && status.failed === 0) return "not-analysed";
  return "no-people";
}
