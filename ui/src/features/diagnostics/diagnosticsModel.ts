// How the Diagnostics page marks a check: passed, failed (Haul is not ready), or an
// optional part that is missing (Haul works without it, with less).

import type { ReadinessCheck } from "$lib/ipc/api";

export type CheckMark = "ok" | "failed" | "missing";

export function markOf(check: ReadinessCheck): CheckMark {
  if (check.ok) return "ok";
  return check.required ? "failed" : "missing";
}

export const MARK_LABEL: Record<CheckMark, string> = {
  ok: "OK",
  failed: "Failed",
  missing: "Optional, missing",
};

/** "database" → "Database", "provider AllDebrid" → "Provider AllDebrid"; tool names stay as they are. */
export function checkTitle(name: string): string {
  if (/^(yt-dlp|gallery-dl|ffmpeg)$/.test(name)) return name;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** "5 of 7 checks passed · 1 optional part missing". */
export function summary(checks: readonly ReadinessCheck[]): string {
  const passed = checks.filter((c) => c.ok).length;
  const missing = checks.filter((c) => markOf(c) === "missing").length;
  const base = `${passed} of ${checks.length} checks passed`;
  return missing === 0 ? base : `${base} · ${missing} optional ${missing === 1 ? "part" : "parts"} missing`;
}
