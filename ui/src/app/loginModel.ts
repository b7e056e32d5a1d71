// What the login page says and allows, apart from the page itself: how long a lockout
// lasts in words, and whether the code field is needed.

import type { SessionRefusal } from "$lib/ipc/session";

/** 45 → "45 seconds", 61 → "1 minute 1 second", 900 → "15 minutes", 3700 → "1 hour 2 minutes". */
export function formatWait(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${unit(h, "hour")} ${unit(m, "minute")}` : unit(h, "hour");
  if (m > 0) return s > 0 ? `${unit(m, "minute")} ${unit(s, "second")}` : unit(m, "minute");
  return unit(s, "second");
}

/** What a refusal does to the page: the message, whether to ask for the code, and until when it is locked. */
export type LoginProblem = { message: string; code: string; askCode: boolean; lockedUntil: number | null };

export function loginProblem(error: SessionRefusal, now: number = Date.now()): LoginProblem {
  const lockedUntil =
    error.code === "LockedOut" || error.code === "TooManyRequests"
      ? now + (error.retryAfterSeconds ?? 60) * 1000
      : null;
  return { message: error.message, code: error.code, askCode: error.code === "TotpRequired", lockedUntil };
}

/** "Try again in 4 minutes 10 seconds." while a lockout lasts; null once it is over. */
export function lockoutText(lockedUntil: number | null, now: number = Date.now()): string | null {
  if (lockedUntil === null || lockedUntil <= now) return null;
  return `Try again in ${formatWait((lockedUntil - now) / 1000)}.`;
}
