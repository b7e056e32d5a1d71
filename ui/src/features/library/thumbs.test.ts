import { describe, expect, it } from "vitest";
import { extensionOf, failedThumbs, hasThumbnail, kindIcon } from "./thumbs.svelte";

describe("thumbnails", () => {
  it("are asked for pictures and videos only, and not again once refused", () => {
    expect(hasThumbnail({ id: 1, kind: "image", mediaError: null })).toBe(true);
    expect(hasThumbnail({ id: 2, kind: "video", mediaError: null })).toBe(true);
    expect(hasThumbnail({ id: 3, kind: "audio", mediaError: null })).toBe(false);
    expect(hasThumbnail({ id: 4, kind: "other", mediaError: null })).toBe(false);
    expect(hasThumbnail({ id: 5, kind: "image", mediaError: "The JPEG ends early." })).toBe(false);
    failedThumbs.add(2);
    expect(hasThumbnail({ id: 2, kind: "video", mediaError: null })).toBe(false);
    failedThumbs.clear();
  });

  it("fall back to the kind's icon and the file's extension", () => {
    expect(kindIcon("video")).toBe("video");
    expect(kindIcon("audio")).toBe("audio");
    expect(kindIcon("image")).toBe("file");
    expect(kindIcon("other")).toBe("file");
    expect(extensionOf("IMG_0001.jpeg")).toBe("JPEG");
    expect(extensionOf("archive.tar.zst")).toBe("ZST");
    expect(extensionOf(".hidden")).toBe("");
    expect(extensionOf("README")).toBe("");
  });
});
