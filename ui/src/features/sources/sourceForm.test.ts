import { describe, expect, it } from "vitest";
import { preview, source } from "./fixtures";
import { accountProblem, formOfSource, looksLikeUrl, newSourceForm, suggestedName, toAddSource, toEditSource } from "./sourceForm";

describe("toAddSource", () => {
  it("sends only what was filled in, the rest as the core's defaults", () => {
    const form = newSourceForm(" https://www.reddit.com/r/EarthPorn/ ");
    expect(toAddSource(form)).toEqual({
      ok: true,
      value: {
        url: "https://www.reddit.com/r/EarthPorn/",
        name: null,
        schedule: { kind: "every", seconds: 3600 },
        dir: null,
        account: null,
        extractor: null,
        options: { template: null, firstLimit: null, stopAfterKnown: null },
      },
    });
  });

  it("sends the advanced options", () => {
    const form = {
      ...newSourceForm("https://forum.example.com/threads/x.1/"),
      name: " Trip photos ",
      dir: "/data/trip",
      account: "me@example",
      extractor: "gallery-dl",
      template: "{post_id}.{ext}",
      firstLimit: "50",
      stopAfterKnown: "5",
    };
    const result = toAddSource(form);
    expect(result.ok && result.value).toMatchObject({
      name: "Trip photos",
      dir: "/data/trip",
      account: "me@example",
      extractor: "gallery-dl",
      options: { template: "{post_id}.{ext}", firstLimit: 50, stopAfterKnown: 5 },
    });
  });

  it("names every field to fix", () => {
    const result = toAddSource({
      ...newSourceForm("not a link"),
      dir: "relative/dir",
      account: "has space",
      firstLimit: "0",
      stopAfterKnown: "x",
      schedule: { ...newSourceForm().schedule, every: "" },
    });
    expect(result.ok ? [] : Object.keys(result.problems).sort()).toEqual(
      ["account", "dir", "every", "firstLimit", "stopAfterKnown", "url"].sort(),
    );
  });
});

describe("toEditSource", () => {
  it("round-trips a source through the form", () => {
    const view = source(4, {
      ownDir: true,
      dir: "/data/x",
      account: "alice",
      extractor: "web",
      schedule: { kind: "cron", expr: "0 8 * * *" },
      options: { template: "{post_id}.{ext}", stopAfterKnown: 3, firstLimit: null },
    });
    expect(toEditSource(formOfSource(view))).toEqual({
      ok: true,
      value: {
        name: "Thread 4",
        schedule: { kind: "cron", expr: "0 8 * * *" },
        dir: "/data/x",
        account: "alice",
        extractor: "web",
        options: { template: "{post_id}.{ext}", stopAfterKnown: 3, firstLimit: null },
      },
    });
  });

  it("keeps the settings' folder for a source without its own", () => {
    const result = toEditSource(formOfSource(source(1, { ownDir: false, dir: "/home/user/Downloads" })));
    expect(result.ok && result.value.dir).toBeNull();
  });

  it("needs a name", () => {
    const result = toEditSource({ ...formOfSource(source(1)), name: "  " });
    expect(result.ok ? null : result.problems.name).toBe("A source needs a name.");
  });
});

describe("suggestedName", () => {
  it("fills the name until the user types their own", () => {
    expect(suggestedName("", null, preview())).toBe("r/EarthPorn");
    expect(suggestedName("r/old", "r/old", preview())).toBe("r/EarthPorn");
    expect(suggestedName("My pics", "r/old", preview())).toBe("My pics");
  });
});

describe("looksLikeUrl and accountProblem", () => {
  it("asks the core about http(s) links only", () => {
    expect(looksLikeUrl("https://www.reddit.com/r/pics")).toBe(true);
    expect(looksLikeUrl("http://forum.example.com/threads/a.1/")).toBe(true);
    expect(looksLikeUrl("https://")).toBe(false);
    expect(looksLikeUrl("https://localhost")).toBe(false);
    expect(looksLikeUrl("reddit.com/r/pics")).toBe(false);
    expect(looksLikeUrl("magnet:?xt=urn:btih:abc")).toBe(false);
  });

  it("follows the core's rule for account names", () => {
    expect(accountProblem("")).toBeNull();
    expect(accountProblem("me.name_1@site-x")).toBeNull();
    expect(accountProblem("two words")).not.toBeNull();
    expect(accountProblem("x".repeat(65))).not.toBeNull();
  });
});
