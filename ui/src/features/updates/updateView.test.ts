import { describe, expect, it } from "vitest";
import { offerTitle, progressView, releaseDate, releaseNotes } from "./updateView";

const MiB = 1024 * 1024;

describe("progressView", () => {
  it("gives a percent and both sizes when the total is known", () => {
    expect(progressView({ downloaded: 12 * MiB, total: 48 * MiB })).toEqual({
      percent: 25,
      text: "25% · 12.0 MiB of 48.0 MiB",
    });
    expect(progressView({ downloaded: 48 * MiB, total: 48 * MiB }).percent).toBe(100);
  });

  it("gives the bytes only when the total is unknown", () => {
    expect(progressView({ downloaded: 1536, total: null })).toEqual({ percent: null, text: "1.5 KiB downloaded" });
    expect(progressView({ downloaded: 0, total: 0 })).toEqual({ percent: null, text: "0 B downloaded" });
  });

  it("has a word for before the first progress event", () => {
    expect(progressView(null)).toEqual({ percent: null, text: "Starting the download…" });
  });
});

describe("offer wording", () => {
  it("names both versions", () => {
    expect(offerTitle({ version: "1.4.0", currentVersion: "1.3.2", notes: null, date: null })).toBe(
      "Haul 1.4.0 is available (you have 1.3.2)",
    );
  });

  it("reads the release date, or gives none", () => {
    expect(releaseDate("2026-03-01T12:00:00Z", "en-GB")).toBe("1 Mar 2026");
    expect(releaseDate(null)).toBeNull();
    expect(releaseDate("soon")).toBeNull();
  });

  it("keeps the notes' lines, trimmed, and has none for blank notes", () => {
    expect(releaseNotes("\r\n- Faster\r\n- <b>Safer</b>\n")).toBe("- Faster\n- <b>Safer</b>");
    expect(releaseNotes("  ")).toBeNull();
    expect(releaseNotes(null)).toBeNull();
  });
});
