import { describe, expect, it } from "vitest";
import { hintFor, needsReload } from "./errorHints";

describe("hintFor", () => {
  it("tells what to do about the server's refusals", () => {
    for (const code of ["NotAuthenticated", "TotpRequired", "CsrfRejected", "LockedOut", "TooManyRequests", "DirNotAllowed"]) {
      expect(hintFor(code)).toMatch(/\w/);
    }
    expect(needsReload("CsrfRejected")).toBe(true);
  });

  it("adds nothing where the core's message says enough", () => {
    expect(hintFor("InvalidUrl")).toBeNull();
    expect(needsReload("InvalidUrl")).toBe(false);
  });
});
