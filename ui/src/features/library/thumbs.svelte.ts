// Items whose thumbnail the core could not make (a 404/415/422 from haul-media): their
// tiles show the kind's icon from then on instead of asking again. Forgotten when the
// library changes, since the core may have made the thumbnail by then.

import { SvelteSet } from "svelte/reactivity";
import type { LibraryItemView, MediaKind } from "$lib/ipc/api";
import type { IconName } from "$lib/ui/Icon.svelte";

export const failedThumbs = new SvelteSet<number>();

/** Whether to ask the core for a thumbnail at all: only pictures and videos have one. */
export function hasThumbnail(item: Pick<LibraryItemView, "id" | "kind" | "mediaError">): boolean {
  return (item.kind === "image" || item.kind === "video") && item.mediaError === null && !failedThumbs.has(item.id);
}

/** The icon a tile shows without a thumbnail: the kind for videos and audio, a file for the rest. */
export function kindIcon(kind: MediaKind): IconName {
  return kind === "video" ? "video" : kind === "audio" ? "audio" : "file";
}

/** "JPG" from "IMG_0001.jpg"; empty when the name has no extension. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1, dot + 6).toUpperCase() : "";
}
