import { describe, expect, it } from "vitest";
import { libraryItem } from "../library/fixtures";
import { bestItem, compareForKeeping, groupKey, othersThan, pixels } from "./best";

describe("the copy to keep", () => {
  it("is the highest resolution first", () => {
    const small = libraryItem(1, { width: 1920, height: 1080, size: 9_000_000 });
    const big = libraryItem(2, { width: 4000, height: 3000, size: 3_000_000 });
    expect(bestItem([small, big])?.id).toBe(2);
  });

  it("then the largest file", () => {
    const a = libraryItem(1, { size: 100 });
    const b = libraryItem(2, { size: 200 });
    expect(bestItem([a, b])?.id).toBe(2);
  });

  it("then the oldest in the library", () => {
    const newer = libraryItem(1, { size: 100, addedAt: 2000 });
    const older = libraryItem(2, { size: 100, addedAt: 1000 });
    expect(bestItem([newer, older])?.id).toBe(2);
    expect(compareForKeeping(older, newer)).toBeLessThan(0);
  });

  it("counts unknown dimensions as no pixels", () => {
    expect(pixels({ width: null, height: 10 })).toBe(0);
    const unknown = libraryItem(1, { width: null, height: null, size: 999_999_999 });
    const known = libraryItem(2, { width: 10, height: 10, size: 1 });
    expect(bestItem([unknown, known])?.id).toBe(2);
    expect(bestItem([])).toBeUndefined();
  });

  it("names a group by its members and bins the others", () => {
    const items = [libraryItem(9), libraryItem(3), libraryItem(5)];
    expect(groupKey(items)).toBe("3,5,9");
    expect(othersThan(items, 3)).toEqual([9, 5]);
  });
});
