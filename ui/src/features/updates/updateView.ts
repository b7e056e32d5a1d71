// The update prompt's pure side: its wording of the download's progress and the release date.

import { formatBytes, formatDate, percentDone } from "$lib/format";
import type { UpdateOffer, UpdateProgress } from "$lib/ipc/api";

export type ProgressView = {
  /** Whole percent, or null while the size is unknown (the bar then moves without a figure). */
  percent: number | null;
  text: string;
};

/** "42% · 12.0 MiB of 28.6 MiB", or "12.0 MiB" when the server sent no size. */
export function progressView(progress: UpdateProgress | null): ProgressView {
  if (progress === null) return { percent: null, text: "Starting the download…" };
  const { downloaded, total } = progress;
  if (total !== null && Number.isFinite(total) && total > 0) {
    const percent = percentDone(downloaded, total);
    return { percent, text: `${percent}% · ${formatBytes(downloaded)} of ${formatBytes(total)}` };
  }
  return { percent: null, text: `${formatBytes(downloaded)} downloaded` };
}

/** "Haul 1.4.0 is available (you have 1.3.2)". */
export function offerTitle(offer: UpdateOffer): string {
  return `Haul ${offer.version} is available (you have ${offer.currentVersion})`;
}

/** The release date (RFC 3339) as a short local date; null when absent or unreadable. */
export function releaseDate(date: string | null, locale?: string): string | null {
  if (date === null || date.trim() === "") return null;
  const ms = Date.parse(date);
  return Number.isFinite(ms) ? formatDate(ms / 1000, locale) : null;
}

/** Release notes as the prompt shows them: plain text, trimmed; null when there are none. */
export function releaseNotes(notes: string | null): string | null {
  const text = notes?.replace(/\r\n?/g, "\n").trim() ?? "";
  return text === "" ? null : text;
}
