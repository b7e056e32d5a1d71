// How a library item reads in the viewer's side panel, and its editable details
// (posted date, tags, description) between the form and the core.

import type { ItemDetails, ItemOrigin, LibraryItemView, MediaKind } from "$lib/ipc/api";

export const ORIGIN_LABEL: Readonly<Record<ItemOrigin, string>> = {
  download: "Download",
  task: "Debrid task",
  source: "Followed source",
  folder: "Added folder",
};

export const KIND_LABEL: Readonly<Record<MediaKind, string>> = {
  image: "Image",
  video: "Video",
  audio: "Audio",
  other: "File",
};

/** "4000 × 3000", or null when the core could not read the dimensions. */
export function resolution(item: Pick<LibraryItemView, "width" | "height">): string | null {
  const { width, height } = item;
  if (width === null || height === null || width <= 0 || height <= 0) return null;
  return `${width} × ${height}`;
}

/** Milliseconds → "12 Mar 2024, 14:05" in the user's locale; "—" when unknown. */
export function formatDateTime(ms: number | null, locale?: string): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  return new Date(ms).toLocaleString(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** Milliseconds → "12 Mar 2024"; "—" when unknown. */
export function formatDay(ms: number | null, locale?: string): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  return new Date(ms).toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric" });
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Milliseconds → the value of an `<input type="datetime-local">` (local time, minutes). */
export function toDateTimeLocal(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "";
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * An `<input type="datetime-local">` value → milliseconds (local time). Empty → null
 * (no posted date); anything unreadable → undefined.
 */
export function fromDateTimeLocal(value: string): number | null | undefined {
  if (value.trim() === "") return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  return Number.isNaN(date.getTime()) ? undefined : date.getTime();
}

/** "beach, summer ,, 2024" → ["beach", "summer", "2024"] (each once, in order). */
export function parseTags(text: string): string[] {
  const tags: string[] = [];
  for (const part of text.split(",")) {
    const tag = part.trim();
    if (tag !== "" && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

export function formatTags(tags: readonly string[]): string {
  return tags.join(", ");
}

export type DetailsForm = { posted: string; tags: string; description: string };

export function detailsForm(item: LibraryItemView): DetailsForm {
  return {
    posted: toDateTimeLocal(item.postedAt),
    tags: formatTags(item.tags),
    description: item.description ?? "",
  };
}

/** What to send for the form, or why it cannot be sent. */
export function toDetails(form: DetailsForm): { ok: true; value: ItemDetails } | { ok: false; message: string } {
  const postedAt = fromDateTimeLocal(form.posted);
  if (postedAt === undefined) return { ok: false, message: "The date is not a date and time." };
  const description = form.description.trim();
  return {
    ok: true,
    value: { postedAt, tags: parseTags(form.tags), description: description === "" ? null : description },
  };
}

/** Whether the form differs from the item (Save is offered only then). */
export function isEdited(form: DetailsForm, item: LibraryItemView): boolean {
  const saved = detailsForm(item);
  return (
    form.posted !== saved.posted ||
    formatTags(parseTags(form.tags)) !== saved.tags ||
    form.description.trim() !== saved.description.trim()
  );
}
