import { describe, expect, it } from "vitest";
import { checkTitle, markOf, summary } from "./diagnosticsModel";

const check = (name: string, ok: boolean, required: boolean) => ({ name, ok, required, detail: "" });

describe("diagnostics", () => {
  it("marks a check passed, failed, or optional and missing", () => {
    expect(markOf(check("database", true, true))).toBe("ok");
    expect(markOf(check("disk space", false, true))).toBe("failed");
    expect(markOf(check("yt-dlp", false, false))).toBe("missing");
  });

  it("titles checks, leaving tool names as they are written", () => {
    expect(checkTitle("database")).toBe("Database");
    expect(checkTitle("provider AllDebrid")).toBe("Provider AllDebrid");
    expect(checkTitle("yt-dlp")).toBe("yt-dlp");
  });

  it("sums the checks up", () => {
    expect(summary([check("a", true, true), check("b", false, false), check("c", false, true)])).toBe(
      "1 of 3 checks passed · 1 optional part missing",
    );
    expect(summary([check("a", true, true)])).toBe("1 of 1 checks passed");
  });
});
