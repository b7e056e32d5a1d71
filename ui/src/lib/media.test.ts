import { describe, expect, it } from "vitest";
import { faceUrl, isWindows, mediaUrl } from "./media";

const LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)";
const MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15";
const WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/131.0";

describe("mediaUrl", () => {
  it("uses the custom scheme on Linux and macOS", () => {
    expect(mediaUrl("thumb", 42, LINUX)).toBe("haul-media://localhost/thumb/42");
    expect(mediaUrl("file", 7, MAC)).toBe("haul-media://localhost/file/7");
  });

  it("uses the http form WebView2 needs on Windows", () => {
    expect(isWindows(WINDOWS)).toBe(true);
    expect(mediaUrl("thumb", 42, WINDOWS)).toBe("http://haul-media.localhost/thumb/42");
    expect(mediaUrl("file", 9, WINDOWS)).toBe("http://haul-media.localhost/file/9");
  });

  it("never carries anything but a whole id", () => {
    expect(mediaUrl("file", 1.5, LINUX)).toBe("haul-media://localhost/file/0");
    expect(mediaUrl("file", -3, LINUX)).toBe("haul-media://localhost/file/0");
  });

  it("asks for face crops by face id", () => {
    expect(faceUrl(7, LINUX)).toBe("haul-media://localhost/face/7");
    expect(faceUrl(7, WINDOWS)).toBe("http://haul-media.localhost/face/7");
    expect(faceUrl(Number.NaN, LINUX)).toBe("haul-media://localhost/face/0");
  });
});
