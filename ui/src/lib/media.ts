// Library media (thumbnails, the files themselves and face crops) come from the core's
// `haul-media` URI scheme, by id only: no path and no token is ever part of a URL.

/** A thumbnail or a file by item id; a face crop (160×160 JPEG) by face id. */
export type MediaUrlKind = "thumb" | "file" | "face";

/**
 * Whether the window runs on Windows, where WebView2 reaches custom schemes as
 * `http://<scheme>.localhost` instead of `<scheme>://localhost`.
 */
export function isWindows(userAgent: string = globalThis.navigator?.userAgent ?? ""): boolean {
  return userAgent.includes("Windows");
}

/** `haul-media://localhost/thumb/42` (Linux, macOS) or `http://haul-media.localhost/thumb/42` (Windows). */
export function mediaUrl(kind: MediaUrlKind, id: number, userAgent?: string): string {
  const safeId = Number.isSafeInteger(id) && id >= 0 ? id : 0;
  return isWindows(userAgent)
    ? `http://haul-media.localhost/${kind}/${safeId}`
    : `haul-media://localhost/${kind}/${safeId}`;
}

/** A face's square crop: `haul-media://localhost/face/7` (by face id, not item id). */
export function faceUrl(faceId: number, userAgent?: string): string {
  return mediaUrl("face", faceId, userAgent);
}
