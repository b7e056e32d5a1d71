import { describe, expect, it } from "vitest";
import {
  detailsForm,
  fromDateTimeLocal,
  isEdited,
  parseTags,
  resolution,
  toDateTimeLocal,
  toDetails,
} from "./details";
import { libraryItem } from "./fixtures";

describe("item details", () => {
  it("says the resolution when it is known", () => {
    expect(resolution({ width: 4000, height: 3000 })).toBe("4000 × 3000");
    expect(resolution({ width: null, height: 3000 })).toBeNull();
    expect(resolution({ width: 0, height: 0 })).toBeNull();
  });

  it("converts posted dates to and from the datetime-local field", () => {
    const ms = new Date(2024, 2, 9, 7, 5).getTime();
    expect(toDateTimeLocal(ms)).toBe("2024-03-09T07:05");
    expect(fromDateTimeLocal("2024-03-09T07:05")).toBe(ms);
    expect(fromDateTimeLocal("2024-03-09T07:05:30")).toBe(ms + 30_000);
    expect(toDateTimeLocal(null)).toBe("");
    expect(fromDateTimeLocal("")).toBeNull();
    expect(fromDateTimeLocal("yesterday")).toBeUndefined();
  });

  it("reads tags separated by commas, each once", () => {
    expect(parseTags("beach, summer ,, 2024, beach")).toEqual(["beach", "summer", "2024"]);
    expect(parseTags("  ")).toEqual([]);
  });

  it("builds what the core takes, and refuses an unreadable date", () => {
    const item = libraryItem(1, { postedAt: new Date(2024, 0, 2, 3, 4).getTime(), tags: ["a", "b"], description: "Hi" });
    const form = detailsForm(item);
    expect(form).toEqual({ posted: "2024-01-02T03:04", tags: "a, b", description: "Hi" });
    expect(isEdited(form, item)).toBe(false);
    expect(isEdited({ ...form, tags: "a,b" }, item)).toBe(false);
    expect(isEdited({ ...form, description: "Hello" }, item)).toBe(true);
    expect(toDetails({ posted: "", tags: "x, y", description: "  " })).toEqual({
      ok: true,
      value: { postedAt: null, tags: ["x", "y"], description: null },
    });
    expect(toDetails({ posted: "soon", tags: "", description: "" }).ok).toBe(false);
  });
});
