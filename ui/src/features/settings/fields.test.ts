import { describe, expect, it } from "vitest";
import { fieldNamedIn, fieldOfError } from "./fields";

describe("fieldNamedIn", () => {
  it("finds the field the core names, in camel or snake case", () => {
    expect(fieldNamedIn("maxActiveDownloads must be between 1 and 16")).toBe("maxActiveDownloads");
    expect(fieldNamedIn("max_active_downloads: must be 1..=16")).toBe("maxActiveDownloads");
    expect(fieldNamedIn("download_dir must be an absolute path")).toBe("downloadDir");
    expect(fieldNamedIn("downloadDir: folder does not exist")).toBe("downloadDir");
    expect(fieldNamedIn("unknown theme 'blue'")).toBe("theme");
  });

  it("finds the connection and speed limit fields", () => {
    expect(fieldNamedIn("connectionsPerDownload must be between 1 and 16 (got 0).")).toBe(
      "connectionsPerDownload",
    );
    expect(fieldNamedIn("connections_per_download: 17 is too many")).toBe("connectionsPerDownload");
    expect(fieldNamedIn("speedLimit must be 0 or more")).toBe("speedLimit");
    expect(fieldNamedIn("speed_limit: out of range")).toBe("speedLimit");
  });

  it("finds the debrid fields by their dotted names", () => {
    expect(fieldNamedIn('debrid.alldebridUrl must be an http or https URL (got "ftp://x").')).toBe(
      "debrid.alldebridUrl",
    );
    expect(fieldNamedIn("debrid.realdebrid_url: not a URL")).toBe("debrid.realdebridUrl");
    expect(fieldNamedIn("debrid.torboxUrl: unreachable")).toBe("debrid.torboxUrl");
    expect(fieldNamedIn("debrid.rules.include: bad pattern '[' ")).toBe("debrid.rules.include");
    expect(fieldNamedIn("debrid.rules.exclude: bad pattern")).toBe("debrid.rules.exclude");
    expect(fieldNamedIn("debrid.rules.minSize must be a whole number")).toBe("debrid.rules.minSize");
    expect(fieldNamedIn("debrid.rules.extensions: '.' is not an extension")).toBe("debrid.rules.extensions");
    expect(fieldNamedIn("unknown debrid.provider 'x'")).toBe("debrid.provider");
  });

  it("returns null when no field is named", () => {
    expect(fieldNamedIn("database is locked")).toBeNull();
  });
});

describe("library fields", () => {
  it("finds the library fields in the core's messages", () => {
    expect(
      fieldNamedIn("Library threads (library.threads) must be between 0 (half the cores) and 64, not 65."),
    ).toBe("library.threads");
    expect(
      fieldNamedIn("Days in the recycle bin (library.binRetentionDays) must be between 1 and 3650, not 0."),
    ).toBe("library.binRetentionDays");
    expect(fieldNamedIn("library.bin_retention_days: expected u32")).toBe("library.binRetentionDays");
    expect(fieldNamedIn("library_threads: expected u32")).toBe("library.threads");
  });
});

describe("desktop and update fields", () => {
  it("finds the update endpoint before anything its URL may contain", () => {
    expect(fieldNamedIn('updates.endpoint must be an https URL (got "http://x/download_dir")')).toBe(
      "updates.endpoint",
    );
    expect(fieldNamedIn("updates.check_on_start: expected a boolean")).toBe("updates.checkOnStart");
  });

  it("finds the desktop fields", () => {
    expect(fieldNamedIn("desktop.startAtLogin: the autostart entry could not be written")).toBe(
      "desktop.startAtLogin",
    );
    expect(fieldNamedIn("desktop.close_to_tray: no tray on this desktop")).toBe("desktop.closeToTray");
    expect(fieldNamedIn("desktop.watchClipboard: the clipboard cannot be read")).toBe("desktop.watchClipboard");
  });

  it("puts a system integration refusal that names no field on start at login", () => {
    expect(fieldOfError({ code: "SystemIntegration", message: "The session bus refused the request." })).toBe(
      "desktop.startAtLogin",
    );
    expect(fieldOfError({ code: "SystemIntegration", message: "No system tray is available." })).toBe(
      "desktop.closeToTray",
    );
    expect(fieldOfError({ code: "Database", message: "database is locked" })).toBeNull();
  });
});

describe("faces fields", () => {
  it("finds the faces fields in the core's messages, the address before what it quotes", () => {
    expect(
      fieldNamedIn("Face analysis threads (faces.threads) must be between 0 (half the cores) and 64, not 65."),
    ).toBe("faces.threads");
    expect(fieldNamedIn("Faces to form a person (faces.minFaces) must be between 1 and 50, not 0.")).toBe(
      "faces.minFaces",
    );
    expect(
      fieldNamedIn("The detector size (faces.detectorSide) must be a multiple of 32 between 160 and 1920, not 500."),
    ).toBe("faces.detectorSide");
    expect(
      fieldNamedIn('The models address (faces.modelsUrl) must be an http(s) URL, not "ftp://x/library.threads".'),
    ).toBe("faces.modelsUrl");
  });
});
