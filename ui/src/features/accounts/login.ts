// Timing of a device / PIN login: the code's countdown and when to ask the core again.

/** Whole seconds before the code expires (rounded up, so "0:01" shows until the end); never negative. */
export function secondsLeft(deadlineMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

/** 605 → "10:05", 59 → "0:59", 3725 → "1:02:05". */
export function formatCountdown(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Providers ask for a poll every few seconds; never faster than this, whatever they say. */
export const MIN_POLL_SECONDS = 1;

/**
 * Milliseconds until the next poll: the provider's interval (at least MIN_POLL_SECONDS).
 * Null once the code has expired: no poll can succeed then.
 */
export function nextPollDelay(intervalSeconds: number, deadlineMs: number, nowMs: number): number | null {
  if (nowMs >= deadlineMs) return null;
  const interval = Number.isFinite(intervalSeconds) ? intervalSeconds : MIN_POLL_SECONDS;
  return Math.max(MIN_POLL_SECONDS, interval) * 1000;
}
