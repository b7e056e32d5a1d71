import { describe, expect, it } from "vitest";
import { describeInput, linkName, recognise } from "./recognise";

describe("recognise", () => {
  it("says nothing for empty input", () => {
    expect(recognise("   ")).toEqual({ kind: "empty", label: "" });
  });

  it("recognises http and https links, ignoring surrounding blanks", () => {
    expect(recognise("https://example.com/file.iso").kind).toBe("http");
    expect(recognise("  http://127.0.0.1:8080/a?b=c \n").label).toBe("HTTP link");
  });

  it("recognises magnets", () => {
    expect(recognise("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567").kind).toBe(
      "magnet",
    );
  });

  it("recognises .torrent paths but not .torrent URLs", () => {
    expect(recognise("/home/me/ubuntu.torrent").kind).toBe("torrent-file");
    expect(recognise("C:\\Users\\me\\ubuntu.torrent").kind).toBe("torrent-file");
    expect(recognise("https://example.com/ubuntu.torrent").kind).toBe("http");
  });

  it("names other schemes as unsupported", () => {
    expect(recognise("ftp://example.com/x")).toEqual({
      kind: "other-link",
      label: "FTP link (not supported)",
    });
  });

  it("calls anything else not a link", () => {
    expect(recognise("hello world").kind).toBe("not-a-link");
    expect(recognise("example.com/file").kind).toBe("not-a-link");
    expect(recognise("http://").kind).toBe("not-a-link");
  });
});

describe("linkName", () => {
  it("is the link's file name, decoded, or its host", () => {
    expect(linkName("https://example.com/isos/ubuntu%2024.04.iso?x=1")).toBe("ubuntu 24.04.iso");
    expect(linkName("https://example.com/")).toBe("example.com");
    expect(linkName("https://example.com/bad%E0%A4%A")).toBe("bad%E0%A4%A");
  });
});

describe("describeInput", () => {
  it("names magnets by their name, else their hash", () => {
    expect(describeInput("magnet:?xt=urn:btih:ABCDEF0123&dn=Show+S01")).toEqual({
      kind: "magnet",
      line: "Magnet: Show S01",
    });
    expect(describeInput("magnet:?xt=urn:btih:ABCDEF0123").line).toBe("Magnet: abcdef0123");
    expect(describeInput("magnet:?tr=x").line).toBe("Magnet link");
  });

  it("names links by their file, .torrent paths by their file name", () => {
    expect(describeInput(" https://example.com/a/b.iso ")).toEqual({ kind: "http", line: "Link: b.iso" });
    expect(describeInput("/home/me/show.torrent")).toEqual({
      kind: "torrent-file",
      line: ".torrent file: show.torrent",
    });
  });

  it("says what to paste when the text is nothing Haul adds", () => {
    expect(describeInput("  ")).toEqual({ kind: "empty", line: "Paste a magnet or an http(s) link." });
    expect(describeInput("hello").kind).toBe("not-a-link");
    expect(describeInput("hello").line).toMatch(/^Not a magnet or a link/);
    expect(describeInput("ftp://example.com/x").line).toBe(
      "FTP link (not supported): Haul adds magnets and http(s) links.",
    );
  });
});
