import { describe, expect, it } from "vitest";
import { face, person } from "../people/fixtures";
import { boxLabel, planNaming, suggestPeople } from "./faceNaming";

describe("planNaming", () => {
  const barack = person(1, { name: "Barack" });
  const group = person(2);
  const joe = person(3, { name: "Joe" });
  const people = [barack, group, joe];
  const big = face(10, { width: 0.4, height: 0.4, personId: 2 });
  const small = face(11, { width: 0.1, height: 0.1, personId: 2 });
  const stray = face(12, { width: 0.05, height: 0.05, personId: null });
  const wrong = face(13, { width: 0.05, height: 0.05, personId: 3, personName: "Joe" });

  it("moves the face to someone named already, whatever the case", () => {
    expect(planNaming(small, people, " barack ")).toEqual({ kind: "move", person: barack });
    expect(planNaming(stray, people, "Joe")).toEqual({ kind: "move", person: joe });
  });

  it("does nothing for no name, or the name the face has", () => {
    expect(planNaming(small, people, "  ")).toEqual({ kind: "none" });
    expect(planNaming(wrong, people, "joe")).toEqual({ kind: "none" });
  });

  it("names an unnamed group as a whole", () => {
    expect(planNaming(big, people, "Michelle")).toEqual({ kind: "rename", personId: 2, name: "Michelle" });
    expect(planNaming(small, people, "Michelle")).toEqual({ kind: "rename", personId: 2, name: "Michelle" });
  });

  it("makes a face of nobody or of someone else a reference of a new person", () => {
    expect(planNaming(stray, people, "Michelle")).toEqual({ kind: "reference", name: "Michelle" });
    expect(planNaming(wrong, people, "Michelle")).toEqual({ kind: "reference", name: "Michelle" });
  });
});

describe("suggestPeople", () => {
  const named = [person(1, { name: "Anna" }), person(2, { name: "Barack" }), person(3, { name: "Hannah" })];

  it("offers names starting with the text first, then containing it", () => {
    expect(suggestPeople(named, "an").map((p) => p.id)).toEqual([1, 3]);
    expect(suggestPeople(named, "AN").map((p) => p.id)).toEqual([1, 3]);
    expect(suggestPeople(named, "b").map((p) => p.id)).toEqual([2]);
    expect(suggestPeople(named, "", 2).map((p) => p.id)).toEqual([1, 2]);
  });

  it("labels a box with its person's name only", () => {
    expect(boxLabel({ personName: "Barack" })).toBe("Barack");
    expect(boxLabel({ personName: null })).toBe("");
  });
});
