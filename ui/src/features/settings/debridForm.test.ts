import { describe, expect, it } from "vitest";
import type { DebridSettings } from "$lib/ipc/api";
import { debridForm, extensionList, lines, toDebridSettings } from "./debridForm";

const SETTINGS: DebridSettings = {
  provider: "realdebrid",
  alldebridUrl: "https://api.alldebrid.com",
  realdebridUrl: "https://api.real-debrid.com/rest",
  torboxUrl: "https://api.torbox.app",
  rules: {
    include: ["*.mkv", "*/Season 1/*"],
    exclude: ["*sample*"],
    minSize: 50 * 1024 * 1024,
    extensions: ["mkv", "mp4"],
    keepSubtitles: true,
  },
};

describe("debridForm", () => {
  it("shows patterns one per line, extensions with commas and the size in its unit", () => {
    expect(debridForm(SETTINGS)).toEqual({
      provider: "realdebrid",
      alldebridUrl: "https://api.alldebrid.com",
      realdebridUrl: "https://api.real-debrid.com/rest",
      torboxUrl: "https://api.torbox.app",
      include: "*.mkv\n*/Season 1/*",
      exclude: "*sample*",
      minSizeValue: 50,
      minSizeUnit: "MiB",
      extensions: "mkv, mp4",
      keepSubtitles: true,
    });
    expect(debridForm({ ...SETTINGS, rules: { ...SETTINGS.rules, minSize: 0 } }).minSizeValue).toBeNull();
    expect(debridForm({ ...SETTINGS, rules: { ...SETTINGS.rules, minSize: 1.5 * 1024 ** 3 } })).toMatchObject({
      minSizeValue: 1.5,
      minSizeUnit: "GiB",
    });
  });

  it("round-trips to the same settings", () => {
    expect(toDebridSettings(debridForm(SETTINGS))).toEqual({ ok: true, value: SETTINGS });
  });
});

describe("toDebridSettings", () => {
  it("reads the text fields", () => {
    const form = {
      ...debridForm(SETTINGS),
      alldebridUrl: "  http://127.0.0.1:9000 ",
      include: "\n *.mkv \r\n\n*.mp4\n",
      exclude: "",
      minSizeValue: null,
      extensions: ".MKV,  mp4 ;srt mkv",
      keepSubtitles: false,
    };
    expect(toDebridSettings(form)).toEqual({
      ok: true,
      value: {
        ...SETTINGS,
        alldebridUrl: "http://127.0.0.1:9000",
        rules: { include: ["*.mkv", "*.mp4"], exclude: [], minSize: 0, extensions: ["MKV", "mp4", "srt", "mkv"], keepSubtitles: false },
      },
    });
  });

  it("refuses a negative size, naming the field", () => {
    const result = toDebridSettings({ ...debridForm(SETTINGS), minSizeValue: -1 });
    expect(result).toEqual({ ok: false, message: "debrid.rules.minSize must be empty (no minimum) or a positive size." });
  });
});

describe("helpers", () => {
  it("splits lines and extensions", () => {
    expect(lines(" a \n\n b")).toEqual(["a", "b"]);
    expect(extensionList(" , ")).toEqual([]);
    expect(extensionList("mkv mkv .mkv")).toEqual(["mkv"]);
  });
});
