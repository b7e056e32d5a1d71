import { describe, expect, it } from "vitest";
import { faceUrl, isWindows, mediaUrl, type MediaHost } from "./media";

const desktop = (userAgent: string): MediaHost => ({ desktop: true, userAgent });
const LINUX = desktop("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)");
const MAC = desktop("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15");
const WINDOWS = desktop("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/131.0");
// A browser on any system asks the server, whatever its user agent says.
const BROWSER: MediaHost = { desktop: false, userAgent: WINDOWS.userAgent };

describe("mediaUrl", () => {
  it("uses the custom scheme on Linux and macOS", () => {
    expect(mediaUrl("thumb", 42, LINUX)).toBe("haul-media://localhost/thumb/42");
    expect(mediaUrl("file", 7, MAC)).toBe("haul-media://localhost/file/7");
  });

  it("uses the http form WebView2 needs on Windows", () => {
    expect(isWindows(WINDOWS.userAgent)).toBe(true);
    expect(mediaUrl("thumb", 42, WINDOWS)).toBe("http://haul-media.localhost/thumb/42");
    expect(mediaUrl("file", 9, WINDOWS)).toBe("http://haul-media.localhost/file/9");
  });

  it("asks the server's media route, on the same origin, in a browser", () => {
    expect(mediaUrl("thumb", 42, BROWSER)).toBe("/api/media/thumb/42");
    expect(mediaUrl("file", 9, BROWSER)).toBe("/api/media/file/9");
  });

  it("never carries anything but a whole id", () => {
    expect(mediaUrl("file", 1.5, LINUX)).toBe("haul-media://localhost/file/0");
    expect(mediaUrl("file", -3, LINUX)).toBe("haul-media://localhost/file/0");
    expect(mediaUrl("thumb", Number.POSITIVE_INFINITY, BROWSER)).toBe("/api/media/thumb/0");
  });

  it("asks for face crops by face id", () => {
    expect(faceUrl(7, LINUX)).toBe("haul-media://localhost/face/7");
    expect(faceUrl(7, WINDOWS)).toBe("http://haul-media.localhost/face/7");
    expect(faceUrl(7, BROWSER)).toBe("/api/media/face/7");
    expect(faceUrl(Number.NaN, LINUX)).toBe("haul-media://localhost/face/0");
  });

  it("follows the page: without Tauri (as here) it is a browser", () => {
    expect(mediaUrl("thumb", 3)).toBe("/api/media/thumb/3");
    expect(faceUrl(4)).toBe("/api/media/face/4");
  });
});
