import { describe, expect, it } from "vitest";
import { facesStatus, person } from "./fixtures";
import {
  findByName,
  groupPeople,
  mergePlan,
  mergeQuestion,
  moveTargets,
  namedPeople,
  pageState,
  personLabel,
  scanSummary,
  statusFigures,
} from "./peopleModel";

describe("people order", () => {
  const people = [
    person(1, { itemCount: 2 }),
    person(2, { name: "zoë" }),
    person(3, { itemCount: 9 }),
    person(4, { name: "Anna" }),
    person(5, { name: "  " }),
    person(6, { name: "Émile", hidden: true }),
    person(7, { itemCount: 9, faceCount: 12 }),
  ];

  it("puts names first, alphabetically, then unnamed groups by photos", () => {
    const { named, unnamed } = groupPeople(people);
    expect(named.map((p) => p.id)).toEqual([4, 6, 2]);
    expect(unnamed.map((p) => p.id)).toEqual([7, 3, 1, 5]);
  });

  it("calls a person without a name Unnamed", () => {
    expect(personLabel(person(1))).toBe("Unnamed");
    expect(personLabel(person(1, { name: " " }))).toBe("Unnamed");
    expect(personLabel(person(1, { name: " Barack " }))).toBe("Barack");
  });

  it("offers visible named people for filters and names", () => {
    expect(namedPeople(people).map((p) => p.id)).toEqual([4, 2]);
    expect(findByName(people, " anna ")?.id).toBe(4);
    expect(findByName(people, "emile")?.id).toBe(6);
    expect(findByName(people, "")).toBeUndefined();
    expect(findByName(people, "Unnamed")).toBeUndefined();
  });

  it("moves a face to anyone but its own person, named first", () => {
    expect(moveTargets(people, 4).map((p) => p.id)).toEqual([6, 2, 7, 3, 1, 5]);
  });
});

describe("merging", () => {
  const barack = person(1, { name: "Barack", itemCount: 3, faceCount: 3 });
  const unnamed = person(2, { itemCount: 2, faceCount: 8 });
  const joe = person(3, { name: "Joe", itemCount: 1, faceCount: 1 });

  it("keeps the named person, else the one with more faces", () => {
    expect(mergePlan(unnamed, barack)).toEqual({ from: unnamed, into: barack });
    expect(mergePlan(barack, unnamed)).toEqual({ from: unnamed, into: barack });
    expect(mergePlan(joe, barack)).toEqual({ from: joe, into: barack });
    expect(mergePlan(barack, person(4, { name: "B", faceCount: 3 }))).toMatchObject({ into: barack });
  });

  it("names both in the question", () => {
    expect(mergeQuestion(mergePlan(unnamed, barack))).toEqual({
      title: "Merge “Barack” with an unnamed person?",
      message:
        "“Barack” (3 photos) and an unnamed person (2 photos) become one person named “Barack”. Faces moved by hand stay where you put them.",
    });
    expect(mergeQuestion(mergePlan(barack, joe)).title).toBe("Merge “Barack” and “Joe”?");
    expect(mergeQuestion(mergePlan(barack, joe)).message).toContain("the name “Joe” is dropped");
    const two = mergeQuestion(mergePlan(unnamed, person(5, { itemCount: 1 })));
    expect(two.title).toBe("Merge these two unnamed people?");
    expect(two.message).toBe(
      "An unnamed person (2 photos) and an unnamed person (1 photo) become one unnamed person. Faces moved by hand stay where you put them.",
    );
  });
});

describe("face analysis", () => {
  it("sums up the status for the toolbar", () => {
    expect(statusFigures(facesStatus({ analysed: 1200, pending: 30 }))).toBe(
      `${(1200).toLocaleString()} analysed · 30 to analyse`,
    );
    expect(statusFigures(facesStatus({ analysed: 5, pending: 0, failed: 2 }))).toBe("5 analysed · 0 to analyse · 2 failed");
    expect(statusFigures(null)).toBe("");
  });

  it("says what a scan found", () => {
    expect(scanSummary({ analysed: 12, faces: 30, failed: 0, newPeople: 3 })).toBe(
      "Analysed 12 photos: 30 faces, 3 new people.",
    );
    expect(scanSummary({ analysed: 1, faces: 1, failed: 1, newPeople: 1 })).toBe(
      "Analysed 1 photo: 1 face, 1 new person. 1 photo could not be read.",
    );
    expect(scanSummary({ analysed: 0, faces: 0, failed: 0, newPeople: 0 })).toBe("Every photo was already analysed.");
  });

  it("picks the page's state", () => {
    expect(pageState(null, [])).toBe("loading");
    expect(pageState(facesStatus({ modelsInstalled: false, missingModels: ["a.onnx"] }), [])).toBe("no-models");
    expect(pageState(facesStatus({ analysed: 0, pending: 40 }), [])).toBe("not-analysed");
    expect(pageState(facesStatus({ analysed: 40 }), [])).toBe("no-people");
    expect(pageState(facesStatus({ modelsInstalled: false }), [person(1)])).toBe("people");
    expect(pageState(null, [person(1)])).toBe("people");
  });
});
