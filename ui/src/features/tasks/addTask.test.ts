import { describe, expect, it } from "vitest";
import { addTaskOptions, describeSource, isTorrentFile, magnetHash, magnetName, readTorrent } from "./addTask";

const MAGNET =
  "magnet:?xt=urn:btih:0123456789ABCDEF0123456789ABCDEF01234567&dn=Show%20S01%201080p&tr=udp%3A%2F%2Ftracker.example%3A80";

describe("magnets", () => {
  it("reads the name and the info hash", () => {
    expect(magnetName(MAGNET)).toBe("Show S01 1080p");
    expect(magnetHash(MAGNET)).toBe("0123456789ABCDEF0123456789ABCDEF01234567");
    expect(magnetName("magnet:?xt=urn:btih:abc")).toBeNull();
    expect(magnetName("magnet:?dn=+&xt=urn:btih:abc")).toBeNull();
  });
});

describe("describeSource", () => {
  it("names a magnet by its dn, else says magnet link", () => {
    expect(describeSource({ kind: "text", text: ` ${MAGNET} ` })).toEqual({
      title: "Show S01 1080p",
      detail: "Magnet link · 0123456789abcdef0123456789abcdef01234567",
    });
    expect(describeSource({ kind: "text", text: "magnet:?xt=urn:btih:abc" }).title).toBe("Magnet link");
  });

  it("names a .torrent path by its file name and a dropped file by name and size", () => {
    expect(describeSource({ kind: "text", text: "/home/me/ubuntu.torrent" })).toEqual({
      title: "ubuntu.torrent",
      detail: "/home/me/ubuntu.torrent",
    });
    expect(describeSource({ kind: "text", text: "C:\\Users\\me\\a.torrent" }).title).toBe("a.torrent");
    expect(describeSource({ kind: "bytes", bytes: new Array(2048).fill(0), fileName: "x.torrent" })).toEqual({
      title: "x.torrent",
      detail: ".torrent file · 2.0 KiB",
    });
  });
});

describe("addTaskOptions", () => {
  it("sends the choices, leaving blank fields to the settings", () => {
    expect(addTaskOptions({ provider: "torbox", dir: " /data/tv ", label: " tv ", manual: true })).toEqual({
      provider: "torbox",
      dir: "/data/tv",
      label: "tv",
      selection: { mode: "manual" },
    });
    expect(addTaskOptions({ provider: "alldebrid", dir: "  ", label: "", manual: false })).toEqual({
      provider: "alldebrid",
      dir: null,
      label: null,
      selection: { mode: "auto" },
    });
  });
});

describe("dropped files", () => {
  it("accepts .torrent files by name", () => {
    expect(isTorrentFile({ name: "Show.S01.TORRENT" })).toBe(true);
    expect(isTorrentFile({ name: "notes.txt" })).toBe(false);
  });

  it("reads the bytes as numbers", async () => {
    expect(await readTorrent(new Blob([new Uint8Array([100, 56, 255])]))).toEqual([100, 56, 255]);
  });
});
