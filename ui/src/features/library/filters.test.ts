import { describe, expect, it } from "vitest";
import {
  buildFilter,
  dayEnd,
  dayStart,
  EMPTY_FORM,
  emptyForm,
  formProblems,
  isFiltering,
  parseSize,
  peopleLabel,
  personForm,
  sameQuery,
  toggleKind,
  togglePerson,
} from "./filters";

describe("parseSize", () => {
  it("reads bytes and binary units, however spelled", () => {
    expect(parseSize("500")).toBe(500);
    expect(parseSize("500 B")).toBe(500);
    expect(parseSize("1.5k")).toBe(1536);
    expect(parseSize("1.5 KiB")).toBe(1536);
    expect(parseSize("20 MiB")).toBe(20 * 1024 * 1024);
    expect(parseSize("20mb")).toBe(20 * 1024 * 1024);
    expect(parseSize("2 GB")).toBe(2 * 1024 ** 3);
    expect(parseSize("1,5 g")).toBe(1.5 * 1024 ** 3);
    expect(parseSize(".5 TiB")).toBe(0.5 * 1024 ** 4);
  });

  it("treats empty as no bound and anything else as unreadable", () => {
    expect(parseSize("")).toBeNull();
    expect(parseSize("   ")).toBeNull();
    expect(parseSize("-5")).toBeUndefined();
    expect(parseSize("big")).toBeUndefined();
    expect(parseSize("5 XB")).toBeUndefined();
    expect(parseSize("1e3")).toBeUndefined();
    expect(parseSize("99999999 TiB")).toBeUndefined();
  });
});

describe("days", () => {
  it("spans whole local days, the end exclusive", () => {
    expect(dayStart("2024-03-10")).toBe(new Date(2024, 2, 10).getTime());
    expect(dayEnd("2024-03-10")).toBe(new Date(2024, 2, 11).getTime());
    expect(dayEnd("2024-12-31")).toBe(new Date(2025, 0, 1).getTime());
    expect(dayStart("10/03/2024")).toBeUndefined();
  });
});

describe("buildFilter", () => {
  it("is 'everything' for the empty form", () => {
    expect(buildFilter(EMPTY_FORM)).toEqual({
      kinds: [],
      origins: [],
      platform: null,
      source: null,
      from: null,
      to: null,
      minSize: null,
      maxSize: null,
      name: null,
      people: [],
      allPeople: false,
    });
    expect(isFiltering(EMPTY_FORM)).toBe(false);
  });

  it("turns each field into the core's terms", () => {
    const filter = buildFilter({
      kinds: ["image", "video"],
      origin: "folder",
      from: "2024-01-01",
      to: "2024-01-31",
      minSize: "1 MiB",
      maxSize: "2g",
      name: "  beach ",
      people: [4, 9],
      allPeople: true,
    });
    expect(filter).toEqual({
      kinds: ["image", "video"],
      origins: ["folder"],
      platform: null,
      source: null,
      from: new Date(2024, 0, 1).getTime(),
      to: new Date(2024, 1, 1).getTime(),
      minSize: 1024 * 1024,
      maxSize: 2 * 1024 ** 3,
      name: "beach",
      people: [4, 9],
      allPeople: true,
    });
  });

  it("leaves out what cannot be read and says which fields", () => {
    const form = { ...EMPTY_FORM, minSize: "lots", maxSize: "1k", from: "2024-02-02", to: "2024-02-01" };
    expect(buildFilter(form).minSize).toBeNull();
    expect(buildFilter(form).maxSize).toBe(1024);
    expect(formProblems(form)).toEqual({ minSize: true, dates: true });
    expect(formProblems({ ...EMPTY_FORM, minSize: "2k", maxSize: "1k" })).toEqual({ sizes: true });
    expect(isFiltering({ ...EMPTY_FORM, name: "x" })).toBe(true);
    expect(isFiltering({ ...EMPTY_FORM, name: "  " })).toBe(false);
  });

  it("toggles kind chips and compares queries", () => {
    expect(toggleKind([], "image")).toEqual(["image"]);
    expect(toggleKind(["image", "video"], "image")).toEqual(["video"]);
    expect(sameQuery(buildFilter(EMPTY_FORM), buildFilter({ ...EMPTY_FORM, name: " " }))).toBe(true);
  });
});

describe("people filter", () => {
  it("sends the people, and 'all of them' only for two or more", () => {
    expect(buildFilter({ ...EMPTY_FORM, people: [3] })).toMatchObject({ people: [3], allPeople: false });
    expect(buildFilter({ ...EMPTY_FORM, people: [3], allPeople: true })).toMatchObject({ people: [3], allPeople: false });
    expect(buildFilter({ ...EMPTY_FORM, people: [3, 5], allPeople: true })).toMatchObject({ people: [3, 5], allPeople: true });
    expect(buildFilter({ ...EMPTY_FORM, people: [3, 5], allPeople: false })).toMatchObject({ allPeople: false });
    expect(
      sameQuery(buildFilter({ ...EMPTY_FORM, people: [3] }), buildFilter({ ...EMPTY_FORM, people: [3], allPeople: true })),
    ).toBe(true);
    expect(isFiltering({ ...EMPTY_FORM, people: [3] })).toBe(true);
  });

  it("toggles people and opens the gallery on one person alone", () => {
    expect(togglePerson([], 3)).toEqual([3]);
    expect(togglePerson([3, 5], 3)).toEqual([5]);
    const form = personForm(7);
    expect(buildFilter(form)).toEqual({ ...buildFilter(EMPTY_FORM), people: [7] });
    expect(emptyForm().people).not.toBe(EMPTY_FORM.people);
  });

  it("names the picker's button after the people picked", () => {
    const names = new Map([
      [3, "Barack"],
      [5, "Joe"],
    ]);
    const nameOf = (id: number) => names.get(id) ?? "Unnamed";
    expect(peopleLabel([], nameOf)).toBe("People");
    expect(peopleLabel([3], nameOf)).toBe("Barack");
    expect(peopleLabel([5, 3, 8], nameOf)).toBe("Joe + 2");
  });
});
