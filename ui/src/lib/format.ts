// Number formatting for the transfer list: binary units with one decimal, ETA as h:mm:ss.

const UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/** The binary unit `formatBytes` prints a figure of at least 1024 bytes in. */
function unitFor(bytes: number): { divisor: number; unit: (typeof UNITS)[number] } {
  let value = bytes / 1024;
  let divisor = 1024;
  let unit = 0;
  // Compare the rounded figure, so 1023.96 KiB prints as "1.0 MiB", not "1024.0 KiB".
  while (unit < UNITS.length - 1 && Number(value.toFixed(1)) >= 1024) {
    value /= 1024;
    divisor *= 1024;
    unit += 1;
  }
  return { divisor, unit: UNITS[unit] ?? "KiB" };
}

/** 0 → "0 B", 1536 → "1.5 KiB", 50_331_648 → "48.0 MiB". Invalid input → "—". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < 1024) return `${Math.floor(bytes)} B`;
  const { divisor, unit } = unitFor(bytes);
  return `${(bytes / divisor).toFixed(1)} ${unit}`;
}

/**
 * A byte range in the unit of its end: 12 MiB..24 MiB → "12.0–24.0 MiB",
 * 0..512 → "0–512 B". `end` is exclusive, as the core sends it.
 */
export function formatRange(start: number, end: number): string {
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < start) return "—";
  if (end < 1024) return `${Math.floor(start)}–${Math.floor(end)} B`;
  const { divisor, unit } = unitFor(end);
  return `${(start / divisor).toFixed(1)}–${(end / divisor).toFixed(1)} ${unit}`;
}

/** A size that may be unknown (the server sent no length). */
export function formatSize(bytes: number | null): string {
  return bytes === null ? "—" : formatBytes(bytes);
}

/** 12_897_485 → "12.3 MiB/s". */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return "—";
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds → "h:mm:ss" (41 → "0:00:41", 3725 → "1:02:05"); unknown → "—". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const total = Math.ceil(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/**
 * Whole percent done, 0–100. Floors, so 100 appears only when every byte is there;
 * an unknown or zero total is 0.
 */
export function percentDone(received: number, total: number | null): number {
  if (total === null || !Number.isFinite(total) || total <= 0) return 0;
  if (!Number.isFinite(received) || received <= 0) return 0;
  return Math.min(100, Math.floor((received / total) * 100));
}

/** Unix seconds → a short date in the user's locale ("1 Mar 2026"); invalid → "—". */
export function formatDate(unixSeconds: number, locale?: string): string {
  if (!Number.isFinite(unixSeconds)) return "—";
  return new Date(unixSeconds * 1000).toLocaleDateString(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
  });
}

/** 1 → "1 file", 3 → "3 files". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
