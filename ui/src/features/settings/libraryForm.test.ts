import { describe, expect, it } from "vitest";
import { fieldNamedIn } from "./fields";
import { toLibrarySettings, wholeNumber } from "./libraryForm";

describe("wholeNumber", () => {
  it("takes whole numbers from 0 up, as numbers or text", () => {
    expect(wholeNumber(0)).toBe(0);
    expect(wholeNumber(30)).toBe(30);
    expect(wholeNumber("12")).toBe(12);
    expect(wholeNumber(4_294_967_295)).toBe(4_294_967_295);
  });

  it("refuses what the core cannot read: empty, fractions, negatives, too large, not a number", () => {
    for (const value of [null, undefined, "", "  ", 1.5, -1, 4_294_967_296, Number.NaN, Infinity, "abc"]) {
      expect(wholeNumber(value), String(value)).toBeNull();
    }
  });
});

describe("toLibrarySettings", () => {
  it("passes whole numbers on, leaving ranges to the core", () => {
    expect(toLibrarySettings({ threads: 0, binRetentionDays: 30 })).toEqual({
      ok: true,
      value: { threads: 0, binRetentionDays: 30 },
    });
    // Out of range but readable: the core's refusal names the field.
    expect(toLibrarySettings({ threads: 65, binRetentionDays: 0 })).toEqual({
      ok: true,
      value: { threads: 65, binRetentionDays: 0 },
    });
  });

  it("refuses an empty or fractional field with a message naming it", () => {
    const threads = toLibrarySettings({ threads: null as unknown as number, binRetentionDays: 30 });
    expect(threads).toEqual({ ok: false, message: "library.threads must be a whole number from 0 to 64." });
    const days = toLibrarySettings({ threads: 4, binRetentionDays: 7.5 });
    expect(days).toEqual({
      ok: false,
      message: "library.binRetentionDays must be a whole number from 1 to 3650.",
    });
    if (threads.ok || days.ok) throw new Error("refused above");
    expect(fieldNamedIn(threads.message)).toBe("library.threads");
    expect(fieldNamedIn(days.message)).toBe("library.binRetentionDays");
  });
});
