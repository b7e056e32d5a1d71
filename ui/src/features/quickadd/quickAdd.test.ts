import { describe, expect, it } from "vitest";
import type { ClipboardOffer } from "$lib/ipc/api";
import { describeQuickAdd, looksAddable } from "./quickAdd";

const MAGNET = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=Show.S01";
const OFFER: ClipboardOffer = { kind: "magnet", text: MAGNET, name: "Show S01 (from the core)" };

describe("describeQuickAdd", () => {
  it("uses the core's name while the field holds the offered text", () => {
    expect(describeQuickAdd(MAGNET, OFFER)).toEqual({ kind: "magnet", line: "Magnet: Show S01 (from the core)" });
    expect(describeQuickAdd(`${MAGNET} `, OFFER).line).toBe("Magnet: Show S01 (from the core)");
    const link: ClipboardOffer = { kind: "link", text: "https://example.com/a.iso", name: "a.iso" };
    expect(describeQuickAdd("https://example.com/a.iso", link)).toEqual({ kind: "http", line: "Link: a.iso" });
  });

  it("recognises typed or edited text itself", () => {
    expect(describeQuickAdd("https://example.com/b.iso", OFFER)).toEqual({ kind: "http", line: "Link: b.iso" });
    expect(describeQuickAdd(MAGNET, null)).toEqual({ kind: "magnet", line: "Magnet: Show.S01" });
    expect(describeQuickAdd("", OFFER).kind).toBe("empty");
  });
});

describe("looksAddable", () => {
  it("is true for what Haul adds", () => {
    expect(["magnet", "http", "torrent-file"].every((k) => looksAddable(k as never))).toBe(true);
    expect(looksAddable("not-a-link")).toBe(false);
    expect(looksAddable("other-link")).toBe(false);
    expect(looksAddable("empty")).toBe(false);
  });
});
