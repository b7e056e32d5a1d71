// Library media (thumbnails, the files themselves and face crops) by id only: no path and
// no token is ever part of a URL. The desktop app asks the core's `haul-media` URI scheme;
// a browser asks `haul serve`'s media route on the same origin, with its session cookie.

import { isDesktop } from "$lib/ipc/transport";

/** A thumbnail or a file by item id; a face crop (160×160 JPEG) by face id. */
export type MediaUrlKind = "thumb" | "file" | "face";

/** Where the page runs, as far as media addresses go. */
export type MediaHost = { desktop: boolean; userAgent: string };

function currentHost(): MediaHost {
  return { desktop: isDesktop(), userAgent: globalThis.navigator?.userAgent ?? "" };
}

/**
 * Whether the window runs on Windows, where WebView2 reaches custom schemes as
 * `http://<scheme>.localhost` instead of `<scheme>://localhost`.
 */
export function isWindows(userAgent: string = globalThis.navigator?.userAgent ?? ""): boolean {
  return userAgent.includes("Windows");
}

/**
 * Desktop: `haul-media://localhost/thumb/42` (Linux, macOS) or
 * `http://haul-media.localhost/thumb/42` (Windows). Browser: `/api/media/thumb/42`.
 */
export function mediaUrl(kind: MediaUrlKind, id: number, host: MediaHost = currentHost()): string {
  const safeId = Number.isSafeInteger(id) && id >= 0 ? id : 0;
  if (!host.desktop) return `/api/media/${kind}/${safeId}`;
  return isWindows(host.userAgent)
    ? `http://haul-media.localhost/${kind}/${safeId}`
    : `haul-media://localhost/${kind}/${safeId}`;
}

/** A face's square crop, by face id (not item id): `haul-media://localhost/face/7`, `/api/media/face/7`. */
export function faceUrl(faceId: number, host: MediaHost = currentHost()): string {
  return mediaUrl("face", faceId, host);
}
