// The gallery's filter bar as the user edits it (text fields, chips, people) and the
// LibraryFilter the core takes. Sizes are typed with binary units ("20 MiB", "1.5g");
// dates are whole days in the user's time zone, both ends included; people are ids,
// with "all of them" meaning something only for two or more.

import type { ItemOrigin, LibraryFilter, LibrarySort, MediaKind } from "$lib/ipc/api";

export const KINDS: ReadonlyArray<{ value: MediaKind; label: string }> = [
  { value: "image", label: "Images" },
  { value: "video", label: "Videos" },
  { value: "audio", label: "Audio" },
  { value: "other", label: "Other" },
];

export const ORIGINS: ReadonlyArray<{ value: ItemOrigin; label: string }> = [
  { value: "download", label: "Downloads" },
  { value: "task", label: "Debrid tasks" },
  { value: "source", label: "Followed sources" },
  { value: "folder", label: "Added folders" },
];

export const SORTS: ReadonlyArray<{ value: LibrarySort; label: string }> = [
  { value: "newest", label: "Newest first" },
  { value: "oldest", label: "Oldest first" },
  { value: "largest", label: "Largest first" },
  { value: "smallest", label: "Smallest first" },
  { value: "name", label: "Name" },
];

export type FilterForm = {
  kinds: MediaKind[];
  /** Empty: any origin. */
  origin: ItemOrigin | "";
  /** `YYYY-MM-DD` (an `<input type="date">`), empty for open. */
  from: string;
  to: string;
  /** Sizes as typed. */
  minSize: string;
  maxSize: string;
  name: string;
  /** Person ids: photos with any of them (or, with `allPeople`, every one). */
  people: number[];
  allPeople: boolean;
};

export const EMPTY_FORM: FilterForm = {
  kinds: [],
  origin: "",
  from: "",
  to: "",
  minSize: "",
  maxSize: "",
  name: "",
  people: [],
  allPeople: false,
};

/** A fresh empty form (its lists are its own). */
export function emptyForm(): FilterForm {
  return { ...EMPTY_FORM, kinds: [], people: [] };
}

/** The form that shows one person's photos, whatever was filtered before. */
export function personForm(personId: number): FilterForm {
  return { ...emptyForm(), people: [personId] };
}

const UNIT_POWER: Readonly<Record<string, number>> = {
  "": 0,
  b: 0,
  k: 1,
  kb: 1,
  kib: 1,
  m: 2,
  mb: 2,
  mib: 2,
  g: 3,
  gb: 3,
  gib: 3,
  t: 4,
  tb: 4,
  tib: 4,
};

/**
 * A size as typed, in bytes (binary units whatever the spelling: "1.5 GB" is 1.5 GiB).
 * Empty → null (no bound); what is not a size → undefined.
 */
export function parseSize(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const match = /^(\d+(?:[.,]\d*)?|[.,]\d+)\s*([a-z]*)$/i.exec(trimmed);
  if (match === null) return undefined;
  const power = UNIT_POWER[(match[2] ?? "").toLowerCase()];
  if (power === undefined) return undefined;
  const value = Number((match[1] ?? "").replace(",", "."));
  if (!Number.isFinite(value)) return undefined;
  const bytes = Math.round(value * 1024 ** power);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Midnight (local time) at the start of a `YYYY-MM-DD` day; undefined for anything else. */
export function dayStart(day: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? undefined : date.getTime();
}

/** Midnight (local time) after a `YYYY-MM-DD` day: the filter's `to` is exclusive. */
export function dayEnd(day: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1);
  return Number.isNaN(date.getTime()) ? undefined : date.getTime();
}

/** The fields that hold something the filter cannot use (shown as invalid, left out). */
export type FormProblems = Partial<Record<"minSize" | "maxSize" | "dates" | "sizes", true>>;

export function formProblems(form: FilterForm): FormProblems {
  const problems: FormProblems = {};
  const min = parseSize(form.minSize);
  const max = parseSize(form.maxSize);
  if (min === undefined) problems.minSize = true;
  if (max === undefined) problems.maxSize = true;
  if (typeof min === "number" && typeof max === "number" && min > max) problems.sizes = true;
  const from = dayStart(form.from);
  const to = dayEnd(form.to);
  if (from !== undefined && to !== undefined && from >= to) problems.dates = true;
  return problems;
}

/** The core's filter for the form: empty fields and what cannot be read mean "any". */
export function buildFilter(form: FilterForm): LibraryFilter {
  const min = parseSize(form.minSize);
  const max = parseSize(form.maxSize);
  const name = form.name.trim();
  return {
    kinds: [...form.kinds],
    origins: form.origin === "" ? [] : [form.origin],
    platform: null,
    source: null,
    from: form.from === "" ? null : (dayStart(form.from) ?? null),
    to: form.to === "" ? null : (dayEnd(form.to) ?? null),
    minSize: typeof min === "number" ? min : null,
    maxSize: typeof max === "number" ? max : null,
    name: name === "" ? null : name,
    people: [...form.people],
    // "All of them" with one person is the same query as "any": one form, one request.
    allPeople: form.allPeople && form.people.length > 1,
  };
}

/** Whether the form narrows the list at all (for the empty state's wording). */
export function isFiltering(form: FilterForm): boolean {
  const filter = buildFilter(form);
  return (
    (filter.kinds?.length ?? 0) > 0 ||
    (filter.origins?.length ?? 0) > 0 ||
    filter.from != null ||
    filter.to != null ||
    filter.minSize != null ||
    filter.maxSize != null ||
    filter.name != null ||
    (filter.people?.length ?? 0) > 0
  );
}

/** The chips as a toggle: adds the kind, or takes it away. */
export function toggleKind(kinds: readonly MediaKind[], kind: MediaKind): MediaKind[] {
  return kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind];
}

/** The people picker as a toggle: adds the person, or takes them away. */
export function togglePerson(people: readonly number[], id: number): number[] {
  return people.includes(id) ? people.filter((p) => p !== id) : [...people, id];
}

/** The people button's words: "People", "Barack", "Barack + 2"; `nameOf` names an id. */
export function peopleLabel(people: readonly number[], nameOf: (id: number) => string): string {
  const [first] = people;
  if (first === undefined) return "People";
  return people.length === 1 ? nameOf(first) : `${nameOf(first)} + ${people.length - 1}`;
}

/** Two filters ask for the same items (so a change of form that changes nothing reloads nothing). */
export function sameQuery(a: LibraryFilter, b: LibraryFilter): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
