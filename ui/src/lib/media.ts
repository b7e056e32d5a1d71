// Library media (thumbnails and the files themselves) come from the core's `haul-media`
// URI scheme, by item id only: no path and no token is ever part of a URL.

export type MediaUrlKind = "thumb" | "file";

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
