// Times relative to now, in the dense lists' few characters: "5 min ago", "in 42 min",
// "3 h ago", "in 2 days". Pure (now is passed in), so a page re-renders them on a tick.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function amount(value: number, one: string, many: string): string {
  return `${value} ${value === 1 ? one : many}`;
}

/** A span as "5 min", "3 h", "2 days", "4 months", "1 year"; minutes rounded by `minutes`. */
function span(ms: number, minutes: (value: number) => number): string {
  const mins = minutes(ms / MINUTE);
  if (mins < 60) return `${mins} min`;
  const hours = Math.round(ms / HOUR);
  if (hours < 24) return `${hours} h`;
  const days = Math.round(ms / DAY);
  if (days < 60) return amount(days, "day", "days");
  const months = Math.round(days / 30.44);
  if (months < 12) return `${months} months`;
  return amount(Math.round(days / 365.25), "year", "years");
}

/** When something happened (ms): "just now", "5 min ago", "3 h ago", "2 days ago"; null → `never`. */
export function timeAgo(at: number | null, now: number, never = "never"): string {
  if (at === null || !Number.isFinite(at) || !Number.isFinite(now)) return never;
  const ms = now - at;
  // A clock a little ahead of ours is "just now", not "in 1 min".
  if (ms < MINUTE) return "just now";
  return `${span(ms, Math.floor)} ago`;
}

/**
 * When something is due (ms): "in 42 min", "in 3 h", "in 2 days"; "due now" once it is
 * (or within the minute); null → `none`.
 */
export function timeUntil(at: number | null, now: number, none = "—"): string {
  if (at === null || !Number.isFinite(at) || !Number.isFinite(now)) return none;
  const ms = at - now;
  if (ms <= 0) return "due now";
  // Rounded up: 41 min 10 s left reads "in 42 min", never "in 0 min".
  return `in ${span(ms, Math.ceil)}`;
}
