// The Sources page's wording: states, platforms, what a row says about its last and next
// check, which actions apply. Pure, so the page and its tests agree.

import { timeAgo, timeUntil } from "$lib/relativeTime";
import type { SourceState, SourceView } from "$lib/ipc/api";

export const STATE_LABEL: Record<SourceState, string> = {
  active: "Active",
  checking: "Checking",
  paused: "Paused",
  failing: "Failing",
  gone: "Gone",
};

const PLATFORM_LABEL: Record<string, string> = {
  reddit: "Reddit",
  xenforo: "XenForo",
  instagram: "Instagram",
  tiktok: "TikTok",
  x: "X",
  youtube: "YouTube",
  vimeo: "Vimeo",
  snapchat: "Snapchat",
  web: "Web",
  direct: "Direct",
};

/** "reddit" → "Reddit"; an unknown platform keeps its name, capitalised. */
export function platformLabel(platform: string): string {
  const known = PLATFORM_LABEL[platform.toLowerCase()];
  if (known !== undefined) return known;
  return platform === "" ? "—" : platform.charAt(0).toUpperCase() + platform.slice(1);
}

/** Platforms the History filter always offers, before those seen in sources. */
export const KNOWN_PLATFORMS: readonly string[] = ["reddit", "xenforo", "web", "direct", "instagram", "tiktok", "x", "youtube"];

/** The History filter's platforms: the known ones, then any other a source has, each once. */
export function platformChoices(sources: readonly Pick<SourceView, "platform">[]): string[] {
  const seen = new Set<string>(KNOWN_PLATFORMS);
  const extra: string[] = [];
  for (const source of sources) {
    const platform = source.platform.toLowerCase();
    if (platform !== "" && !seen.has(platform)) {
      seen.add(platform);
      extra.push(platform);
    }
  }
  return [...KNOWN_PLATFORMS, ...extra.sort()];
}

/** "5 min ago", or "never" before the first check. */
export function lastCheckText(source: Pick<SourceView, "lastCheckAt">, now: number): string {
  return timeAgo(source.lastCheckAt, now);
}

/** "in 42 min"; "now" while it checks; "—" when paused or nothing is scheduled. */
export function nextCheckText(source: Pick<SourceView, "nextCheckAt" | "state">, now: number): string {
  if (source.state === "checking") return "now";
  if (source.state === "paused") return "—";
  return timeUntil(source.nextCheckAt, now);
}

/** A failing or gone source says why, inline. */
export function inlineError(source: Pick<SourceView, "state" | "errorMessage">): string | null {
  if (source.state !== "failing" && source.state !== "gone") return null;
  const message = source.errorMessage?.trim() ?? "";
  return message === "" ? (source.state === "gone" ? "The site says it is gone." : "The last checks failed.") : message;
}

/** Pause for a running source, Resume for a paused one. */
export function pauseAction(state: SourceState): "pause" | "resume" {
  return state === "paused" ? "resume" : "pause";
}

/** Whether "Check now" does anything (a check is not already running). */
export function canCheck(source: Pick<SourceView, "state">): boolean {
  return source.state !== "checking";
}

/** "Check all": every source that is neither paused nor being checked. */
export function checkAllTargets(sources: readonly Pick<SourceView, "id" | "state">[]): number[] {
  return sources.filter((s) => s.state !== "paused" && s.state !== "checking").map((s) => s.id);
}

/** The tooltip of the counts: "12 done · 3 pending · 1 failed". */
export function countsTitle(source: Pick<SourceView, "done" | "pending" | "failed">): string {
  return `${source.done.toLocaleString()} done · ${source.pending.toLocaleString()} pending · ${source.failed.toLocaleString()} failed`;
}

/** The selection after an arrow key: clamped to the list; the first row when none was selected. */
export function moveSelection(ids: readonly number[], current: number | null, step: number): number | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return step >= 0 ? (ids[0] ?? null) : (ids[ids.length - 1] ?? null);
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))] ?? null;
}

/** The remove dialog's wording. */
export function removeQuestion(source: Pick<SourceView, "name" | "done">): { title: string; message: string } {
  return {
    title: `Stop following “${source.name}”?`,
    message:
      source.done > 0
        ? `Haul stops checking it. Its ${source.done.toLocaleString()} fetched ${source.done === 1 ? "file stays" : "files stay"} where ${source.done === 1 ? "it is" : "they are"} unless you move them to the recycle bin too.`
        : "Haul stops checking it. Nothing was fetched from it yet.",
  };
}
