import { describe, expect, it } from "vitest";
import { recognise } from "./recognise";

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
