// The library's background work as the status bar shows it: "Scanning 120/400",
// "Finding faces 12/40".

import type { LibraryProgress } from "$lib/ipc/api";
import type { View } from "$lib/navigation";

const JOB_LABEL: Readonly<Record<string, string>> = {
  scan: "Scanning",
  "catch-up": "Adding downloads",
  faces: "Finding faces",
};

/** The page the status bar's progress opens: People for face analysis, else the Library. */
export function activityPage(progress: LibraryProgress | null): Extract<View, "library" | "people"> {
  return progress?.job === "faces" ? "people" : "library";
}

/** The status bar's words for a job in progress; null when nothing runs. */
export function activityText(progress: LibraryProgress | null): string | null {
  if (progress === null || !progress.running) return null;
  const label = JOB_LABEL[progress.job] ?? "Working";
  const text = progress.total > 0 ? `${label} ${progress.done}/${progress.total}` : `${label}…`;
  return progress.paused ? `${text} · paused` : text;
}

/** 0–100 for the small bar; null while the total is unknown. */
export function activityPercent(progress: LibraryProgress | null): number | null {
  if (progress === null || progress.total <= 0) return null;
  return Math.min(100, Math.max(0, Math.floor((progress.done / progress.total) * 100)));
}
